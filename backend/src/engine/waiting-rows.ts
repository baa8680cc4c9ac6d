// What waiting rows say in the sheet: "queued" while the job runs, "paused: budget" (or another reason) while it waits.
import { TERMINAL_ROW_STATUSES, type Job, type Row } from '../ports/domain.js';
import type { ResultSink } from '../ports/sheet.js';
import type { Store } from '../ports/store.js';
import { waitingStatusText } from './row-status-text.js';

const PAGE = 5000;

async function queuedRowIds(store: Store, jobId: string): Promise<string[]> {
  const ids: string[] = [];
  for (let after = 0; ; ) {
    const rows: Row[] = await store.listRows({ jobId, afterRowNumber: after, limit: PAGE, statuses: ['queued'] });
    for (const row of rows) ids.push(row.rowId);
    const last = rows.at(-1);
    if (!last || rows.length < PAGE) return ids;
    after = last.rowNumber;
  }
}

/**
 * Writes the waiting text of the job's current state on every queued row. Only the pump writes results, but a second
 * pump may overlap this one: a row that finished and was written in between would now show the waiting text over
 * its result, so then every finished row is written again on the next tick.
 */
export async function rewriteWaitingRows(store: Store, sink: ResultSink, job: Job): Promise<void> {
  if (!sink.markStatus) return;
  const ids = await queuedRowIds(store, job.id);
  if (ids.length === 0) return;
  await sink.markStatus(job, ids, waitingStatusText(job));
  const still = new Set(await queuedRowIds(store, job.id));
  for (const id of ids) {
    if (still.has(id)) continue;
    const row = await store.getRow(job.id, id);
    if (row && TERMINAL_ROW_STATUSES.includes(row.status) && row.flushed) {
      await store.markAllUnflushed(job.id);
      return;
    }
  }
}
