// The SQLite statements that pick rows for a decision agree with the decision over every row status, and a new row's
// schema defaults are the domain's fresh row: the SQL keeps these conditions for bulk speed, the domain decides.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RowStatus } from '../../../../backend/src/ports/domain.js';
import { openDatabase, type SqliteDatabase } from '../../../../backend/src/adapters/sqlite/database.js';
import { migrateStoreSchema } from '../../../../backend/src/adapters/sqlite/schema.js';
import { prepareStatements, type Statements } from '../../../../backend/src/adapters/sqlite/statements.js';
import { addRows, createJob } from '../../../../backend/src/adapters/sqlite/job-lifecycle.js';
import { toRowState } from '../../../../backend/src/adapters/sqlite/row-mapper.js';
import type { RowChange, RowState } from '../../../../backend/src/domain/row-transitions.js';
import { decideDispatch, decideExpiry, decideNewRow, decideRequeue, decideUndispatch } from '../../../../backend/src/domain/row-transitions.js';
import type { QueuedRowsStep } from '../../../../backend/src/domain/job-transitions.js';
import { decideQueuedRow, queuedRowsOf } from '../../../../backend/src/domain/job-transitions.js';
import { newJob, newRows } from '../../../contract/helpers/store-fixtures.js';

const ROW_STATUSES: readonly RowStatus[] = ['queued', 'running', 'done', 'failed', 'skipped', 'cancelled'];
const NOW = 1_000;

let db: SqliteDatabase;
let statements: Statements;
let jobId: string;

beforeEach(() => {
  db = openDatabase({ path: ':memory:' });
  migrateStoreSchema(db);
  statements = prepareStatements(db);
  const job = newJob();
  jobId = job.id;
  createJob(statements, job, NOW);
});

afterEach(() => db.close());

/** One row of every status, with and without a slot, each with a lapsed lease and a retry time long past. */
function everyRow(): void {
  const combos = ROW_STATUSES.flatMap((status) => [0, 1].map((dispatched) => ({ status, dispatched })));
  addRows(statements, jobId, newRows(combos.length));
  combos.forEach(({ status, dispatched }, i) =>
    db.prepare(`UPDATE store_rows SET status = ?, dispatched = ?, lease_until = 10, next_attempt_at = 10 WHERE job_id = ? AND row_id = ?`).run(status, dispatched, jobId, `r${i + 1}`),
  );
}

/** The ids of the job's rows `decide` changes, as the domain says. */
function decided(decide: (row: RowState) => RowChange | undefined): string[] {
  const all = db.prepare(`SELECT rowid, * FROM store_rows WHERE job_id = ? ORDER BY row_number`).all(jobId) as Array<Parameters<typeof toRowState>[0]>;
  return all.filter((record) => decide(toRowState(record)) !== undefined).map((record) => record.row_id);
}

const ids = (records: ReadonlyArray<{ readonly row_id: string }>): string[] => records.map((record) => record.row_id).sort();

describe('SQLite row selections agree with the decisions', () => {
  it('dispatch picks exactly the dispatchable rows', () => {
    everyRow();
    const picked = statements.nextDispatchable.all({ jobId, limit: 1_000 });
    expect(ids(picked)).toEqual(decided((row) => decideDispatch(row, NOW)).sort());
    expect(picked).toHaveLength(1);
  });

  it('a transition reads exactly the queued rows its step changes', () => {
    everyRow();
    for (const step of [{ cancel: true, at: NOW }, { cancel: false, at: NOW }] satisfies QueuedRowsStep[]) {
      expect(ids(statements.selectedRows(queuedRowsOf(step)).all(jobId)), JSON.stringify(step)).toEqual(decided((row) => decideQueuedRow(step, row)).sort());
    }
  });

  it('expiry, stale dispatch and re-queue read exactly the rows their decisions change', () => {
    everyRow();
    expect(ids(statements.expiredRows.all({ jobId, now: NOW }))).toEqual(decided((row) => decideExpiry(row, { status: 'running' }, NOW)).sort());
    expect(ids(statements.staleDispatched.all({ jobId, olderThan: NOW }))).toEqual(decided((row) => decideUndispatch(row, NOW)).sort());
    expect(ids(statements.rowsByStatus.all(jobId, 'failed'))).toEqual(decided(decideRequeue).sort());
  });

  it('a new row is stored as decideNewRow\'s state: the schema defaults are the fresh row', () => {
    const rows = [
      { rowId: 'a', rowNumber: 1, inputs: {}, inputHash: 'h' },
      { rowId: 'b', rowNumber: 2, inputs: {}, inputHash: 'h', status: 'skipped' as const },
      { rowId: 'c', rowNumber: 3, inputs: {}, inputHash: 'h', status: 'failed' as const, errorMessage: 'empty' },
    ];
    addRows(statements, jobId, rows);
    for (const row of rows) expect(toRowState(statements.rowState.get(jobId, row.rowId)!), row.rowId).toEqual(decideNewRow(row).state);
  });
});
