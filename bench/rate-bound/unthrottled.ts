// Baseline "unthrottled Promise.all": every row at once (500 sockets at most), each retrying 429s with backoff and jitter.
import { join } from 'node:path';
import { readSourceRows } from '../lib/source-rows.js';
import { BaselineClient } from './baseline-client.js';
import type { ContenderInput, ContenderResult } from './contender.js';
import { ResultWriter } from './result-writer.js';
import { callWithRetries, type RetryPolicy, type RowResult } from './retry.js';

/** A cap for the machine's sake, not the provider's: far above what 600 requests/min can absorb. */
const MAX_IN_FLIGHT = 500;

// Full jitter over 0.5 s · 2^n (capped at 30 s), never sooner than Retry-After: the textbook advice, applied per row.
const POLICY: RetryPolicy = {
  maxRetries: 10,
  delayMs: (retry, retryAfterMs) => Math.max(retryAfterMs ?? 0, Math.random() * Math.min(30_000, 500 * 2 ** retry)),
};

export async function runUnthrottled(input: ContenderInput): Promise<Omit<ContenderResult, 'peakRssBytes'>> {
  const rows = await readSourceRows(input.csvPath, input.rows);
  const client = new BaselineClient(input.baseURL);
  const writer = await ResultWriter.create(join(input.workDir, 'unthrottled-out.csv'));
  const started = performance.now();
  const deadline = Date.now() + input.giveUpAfterMs;
  const results: RowResult[] = [];
  let next = 0;
  // MAX_IN_FLIGHT lanes pull rows until none are left: Promise.all over all rows, with a socket cap.
  const lane = async (): Promise<void> => {
    for (let i = next++; i < rows.length; i = next++) {
      const row = rows[i];
      if (row) results.push(await callWithRetries(client, row.inputs, POLICY, deadline));
    }
  };
  await Promise.all(Array.from({ length: Math.min(MAX_IN_FLIGHT, rows.length) }, lane));
  await writer.append(results);
  const failed = results.filter((r) => r.error !== null).length;
  return { makespanMs: performance.now() - started, doneRows: rows.length - failed, failedRows: failed, writeCalls: writer.calls };
}
