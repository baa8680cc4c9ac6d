// Checks that a job's counters agree with its rows: the property every store step and every crash must preserve.
import { expect } from 'vitest';
import type { ErrorClass } from '../../../backend/src/kernel/error-classes.js';
import type { Row } from '../../../backend/src/ports/domain.js';
import type { Store } from '../../../backend/src/ports/store.js';

export async function allRows(store: Store, jobId: string): Promise<Row[]> {
  const rows: Row[] = [];
  for (let after: number | undefined; ; ) {
    const page = await store.listRows({ jobId, afterRowNumber: after, limit: 500 });
    if (page.length === 0) return rows;
    rows.push(...page);
    after = page.at(-1)!.rowNumber;
  }
}

/** Recounts every row and compares with `counts()`: statuses, cached, failures by class, spent and reserved money. */
export async function expectCountersMatchRows(store: Store, jobId: string): Promise<void> {
  const rows = await allRows(store, jobId);
  const tally = { queued: 0, running: 0, done: 0, cached: 0, failed: 0, skipped: 0, cancelled: 0 };
  const errorsByClass: Partial<Record<ErrorClass, number>> = {};
  let spentNanos = 0;
  let reservedNanos = 0;
  for (const row of rows) {
    tally[row.status]++;
    if (row.status === 'done' && row.cached) tally.cached++;
    if (row.status === 'failed' && row.errorClass) errorsByClass[row.errorClass] = (errorsByClass[row.errorClass] ?? 0) + 1;
    spentNanos += Math.round(row.costUsd * 1e9);
    reservedNanos += Math.round(row.reservedUsd * 1e9);
    if (row.status !== 'running') expect(row.reservedUsd).toBe(0);
    if (row.status !== 'queued' && row.status !== 'running') expect(row.dispatched).toBe(false);
  }
  const counts = await store.counts(jobId);
  expect(counts).toMatchObject({ total: rows.length, ...tally });
  expect(counts.errorsByClass).toEqual(errorsByClass);
  expect(Math.round(counts.spentUsd * 1e9)).toBe(spentNanos);
  expect(Math.round(counts.reservedUsd * 1e9)).toBe(reservedNanos);
}
