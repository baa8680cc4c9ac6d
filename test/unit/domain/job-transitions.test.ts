// What moving a job between states decides: its new fields, and what its queued rows need (cancel, give back slots, nothing).
import { describe, expect, it } from 'vitest';
import type { JobStatus, RowStatus } from '../../../backend/src/ports/domain.js';
import type { TransitionRequest } from '../../../backend/src/ports/store.js';
import type { JobFields, QueuedRowsStep } from '../../../backend/src/domain/job-transitions.js';
import {
  assertTakesRows, CANCELLED_ON_CANCEL, decideJobTransition, decideQueuedRow, queuedRowsOf, UNDISPATCHED_ON_LEAVING_RUNNING,
} from '../../../backend/src/domain/job-transitions.js';
import type { RowState } from '../../../backend/src/domain/row-transitions.js';
import { selects } from '../../../backend/src/domain/row-transitions.js';

const NOW = 5_000;
const JOB_STATUSES: readonly JobStatus[] = ['preparing', 'running', 'paused', 'cancelled', 'completed'];
const ROW_STATUSES: readonly RowStatus[] = ['queued', 'running', 'done', 'failed', 'skipped', 'cancelled'];

const running: JobFields = { status: 'running', pauseReason: null, message: 'hi', budgetNanos: 1_000, runningSince: 100, finishedAt: null };
const to = (status: JobStatus, more: Partial<TransitionRequest> = {}): TransitionRequest => ({ to: status, from: JOB_STATUSES, now: NOW, ...more });

describe('decideJobTransition', () => {
  it('moves nothing for a job that is gone or not in one of `from`', () => {
    expect(decideJobTransition(undefined, to('paused'), undefined)).toBeUndefined();
    expect(decideJobTransition(running, to('paused', { from: ['preparing', 'paused'] }), undefined)).toBeUndefined();
  });

  it('pausing: keeps the times and the message, takes the reason, gives back the queued rows\' slots', () => {
    expect(decideJobTransition(running, to('paused', { pauseReason: 'budget' }), undefined)).toEqual({
      job: { status: 'paused', pauseReason: 'budget', message: 'hi', budgetNanos: 1_000, runningSince: 100, finishedAt: null, updatedAt: NOW },
      rows: { cancel: false, at: NOW },
    });
  });

  it('a pause reason stays while paused and goes when the job leaves paused, unless the caller sets one', () => {
    const paused: JobFields = { ...running, status: 'paused', pauseReason: 'quota' };
    expect(decideJobTransition(paused, to('paused', { message: null }), undefined)?.job).toMatchObject({ pauseReason: 'quota', message: null });
    expect(decideJobTransition(paused, to('running'), undefined)?.job.pauseReason).toBeNull();
    expect(decideJobTransition(paused, to('running', { pauseReason: 'user' }), undefined)?.job.pauseReason).toBe('user');
  });

  it('entering running stamps runningSince and leaves the queued rows alone; staying running keeps it', () => {
    const paused: JobFields = { ...running, status: 'paused' };
    expect(decideJobTransition(paused, to('running'), undefined)).toMatchObject({ job: { runningSince: NOW, finishedAt: null }, rows: null });
    expect(decideJobTransition(running, to('running'), 2_000)).toMatchObject({ job: { runningSince: 100, budgetNanos: 2_000 }, rows: null });
  });

  it('a budget given replaces the job\'s, null included (no cap); undefined keeps it', () => {
    expect(decideJobTransition(running, to('running'), null)?.job.budgetNanos).toBeNull();
    expect(decideJobTransition(running, to('running'), undefined)?.job.budgetNanos).toBe(1_000);
  });

  it('cancelled and completed end the job at now (once: a repeat keeps the first time); cancelling cancels its queued rows', () => {
    expect(decideJobTransition(running, to('cancelled'), undefined)).toMatchObject({ job: { status: 'cancelled', finishedAt: NOW }, rows: { cancel: true, at: NOW } });
    expect(decideJobTransition(running, to('completed'), undefined)).toMatchObject({ job: { finishedAt: NOW }, rows: { cancel: false, at: NOW } });
    const completed: JobFields = { ...running, status: 'completed', finishedAt: 300 };
    expect(decideJobTransition(completed, to('completed'), undefined)?.job.finishedAt).toBe(300);
    expect(decideJobTransition(completed, to('paused'), undefined)?.job.finishedAt).toBeNull();
  });

  it('every target but running leaves the queued rows a step', () => {
    for (const status of JOB_STATUSES) {
      const rows = decideJobTransition(running, to(status), undefined)?.rows;
      expect(rows, status).toEqual(status === 'running' ? null : { cancel: status === 'cancelled', at: NOW });
    }
  });
});

describe('the queued rows\' step', () => {
  const base: RowState = {
    status: 'queued', dispatched: true, dispatchSeq: 1, attempt: 0, nextAttemptAt: 0, leaseUntil: null, leaseSeq: 0, reservedNanos: 0, cached: false,
    errorClass: null, errorMessage: null, inputTokens: 0, cachedInputTokens: 0, outputTokens: 0, costNanos: 0, flushed: true, finishedAt: null,
  };
  const everyRow = ROW_STATUSES.flatMap((status) => [true, false].map((dispatched): RowState => ({ ...base, status, dispatched })));
  const cancel: QueuedRowsStep = { cancel: true, at: NOW };
  const undispatch: QueuedRowsStep = { cancel: false, at: NOW };

  it('cancel cancels a queued row at the transition time; leaving running takes a queued row\'s slot back', () => {
    expect(decideQueuedRow(cancel, base)).toEqual({ ok: true, patch: { status: 'cancelled', dispatched: false, flushed: false, finishedAt: NOW }, counters: { queued: -1, cancelled: 1, queuedDispatched: -1 } });
    expect(decideQueuedRow(undispatch, base)).toEqual({ ok: true, patch: { dispatched: false }, counters: { queuedDispatched: -1 } });
  });

  it('each step\'s selection picks exactly the rows its decision changes, over every status (the stores query by it)', () => {
    expect(queuedRowsOf(cancel)).toBe(CANCELLED_ON_CANCEL);
    expect(queuedRowsOf(undispatch)).toBe(UNDISPATCHED_ON_LEAVING_RUNNING);
    for (const step of [cancel, undispatch]) {
      for (const row of everyRow) expect(selects(queuedRowsOf(step), row), `${JSON.stringify(step)} ${row.status} ${row.dispatched}`).toBe(decideQueuedRow(step, row) !== undefined);
    }
  });
});

describe('assertTakesRows', () => {
  it('only a preparing job takes rows', () => {
    expect(() => assertTakesRows('j1', undefined)).toThrow('job j1 does not exist');
    expect(() => assertTakesRows('j1', { status: 'running' })).toThrow('job j1 is running: rows can only be added while it is preparing');
    expect(() => assertTakesRows('j1', { status: 'preparing' })).not.toThrow();
  });
});
