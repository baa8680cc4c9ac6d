// What unfinished rows say in the sheet: `queued` or `paused: <reason>` while they wait, `running` while a worker has them.
import { TERMINAL_ROW_STATUSES, type Job, type Row } from '../ports/domain.js';
import type { ResultSink } from '../ports/sheet.js';
import type { Store } from '../ports/store.js';
import { waitingStatusText } from '../kernel/row-status-text.js';

const PAGE = 5000;
/** Rows read at once when checking whether a status write landed over a result. */
const REPAIR_READS_AT_ONCE = 100;

async function rowIdsWithStatus(store: Store, jobId: string, status: Row['status']): Promise<string[]> {
  const ids: string[] = [];
  for (let after = 0; ; ) {
    const rows = await store.listRows({ jobId, afterRowNumber: after, limit: PAGE, statuses: [status] });
    for (const row of rows) ids.push(row.rowId);
    const last = rows.at(-1);
    if (!last || rows.length < PAGE) return ids;
    after = last.rowNumber;
  }
}

/**
 * Only the pump writes results, but a second pump may overlap this one: a row that finished and was written between
 * listing it and writing its transient status now shows that status over its result. Then every finished row is
 * written again on the next tick (rare, and the sheet converges).
 */
async function repairOverwrites(store: Store, jobId: string, written: readonly string[], stillThere: ReadonlySet<string>): Promise<void> {
  // Rows that finished since they were listed are common (a 1 s call, a tick of a few seconds): read them together,
  // not one round trip after another (on Firestore that made a tick take seconds).
  const moved = written.filter((id) => !stillThere.has(id));
  for (let i = 0; i < moved.length; i += REPAIR_READS_AT_ONCE) {
    const rows = await Promise.all(moved.slice(i, i + REPAIR_READS_AT_ONCE).map((id) => store.getRow(jobId, id)));
    if (rows.some((row) => row && TERMINAL_ROW_STATUSES.includes(row.status) && row.flushed)) {
      await store.markAllUnflushed(jobId);
      return;
    }
  }
}

/** Writes the waiting text of the job's current state on every queued row (after a pause, a resume or a re-run). */
export async function rewriteWaitingRows(store: Store, sink: ResultSink, job: Job): Promise<void> {
  if (!sink.markStatus) return;
  const ids = await rowIdsWithStatus(store, job.id, 'queued');
  if (ids.length === 0) return;
  await sink.markStatus(job, ids, waitingStatusText(job));
  await repairOverwrites(store, job.id, ids, new Set(await rowIdsWithStatus(store, job.id, 'queued')));
}

/**
 * Which running rows already show `running`, per job, so each is written once, in the same write as the finished
 * rows. Kept in memory: another instance's pump may write a row's `running` again, which costs a cell, not a mistake.
 */
export class RunningRows {
  private readonly shown = new Map<string, Set<string>>();

  constructor(private readonly store: Store) {}

  /** Running rows not yet shown as running, leaving out rows about to be written as finished. */
  async toShow(job: Job, finishing: readonly Row[]): Promise<Row[]> {
    if (job.status !== 'running') return [];
    const running = await this.store.listRows({ jobId: job.id, limit: PAGE, statuses: ['running'] });
    const now = new Set(running.map((r) => r.rowId));
    const shown = this.shown.get(job.id) ?? new Set<string>();
    // Forget rows that moved on, so the set stays the size of the window.
    for (const id of shown) if (!now.has(id)) shown.delete(id);
    this.shown.set(job.id, shown);
    const finishingIds = new Set(finishing.map((r) => r.rowId));
    return running.filter((r) => !shown.has(r.rowId) && !finishingIds.has(r.rowId));
  }

  /** After the write: remember what now shows `running`, and repair a result an overlapping pump wrote meanwhile. */
  async shownNow(job: Job, written: readonly string[]): Promise<void> {
    if (written.length === 0) return;
    const shown = this.shown.get(job.id) ?? new Set<string>();
    for (const id of written) shown.add(id);
    this.shown.set(job.id, shown);
    await repairOverwrites(this.store, job.id, written, new Set(await rowIdsWithStatus(this.store, job.id, 'running')));
  }

  /** The sheet moved under a write, or the job is over: show every running row again next time. */
  forget(jobId: string): void {
    this.shown.delete(jobId);
  }
}
