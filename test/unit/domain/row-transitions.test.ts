// The row state machine on its own: every refusal and every change dispatch, claim, finish, expiry, undispatch, re-queue, cancel and a new row decide.
import { describe, expect, it } from 'vitest';
import type { JobStatus, NewRow, RowStatus } from '../../../backend/src/ports/domain.js';
import type { ClaimRequest, FinishRequest, RowOutcome } from '../../../backend/src/ports/store.js';
import type { CounterDelta, RowState } from '../../../backend/src/domain/row-transitions.js';
import {
  addDeltas, decideCancel, decideClaim, decideDispatch, decideExpiry, decideFinish, decideNewRow, decideRequeue, decideUndispatch, DISPATCHABLE, dispatchRoom,
  jobHoldsSlots, negateDelta, selects, sumDeltas,
} from '../../../backend/src/domain/row-transitions.js';
import { checkClaimRequest, checkFinishRequest, checkHoldRequest } from '../../../backend/src/domain/store-arguments.js';

const NOW = 1_000_000;
const ZERO = { inputTokens: 0, cachedInputTokens: 0, outputTokens: 0 };

const queued: RowState = {
  status: 'queued', dispatched: true, dispatchSeq: 2, attempt: 0, nextAttemptAt: NOW - 1, leaseUntil: null, leaseSeq: 4,
  reservedNanos: 0, cached: false, errorClass: null, errorMessage: null, inputTokens: 0, cachedInputTokens: 0, outputTokens: 0,
  costNanos: 0, flushed: false, finishedAt: null,
};
const running: RowState = { ...queued, status: 'running', attempt: 1, leaseUntil: NOW + 60_000, leaseSeq: 5, reservedNanos: 300, inputTokens: 10, costNanos: 50 };
const claim: ClaimRequest = { jobId: 'j', rowId: 'r', dispatchSeq: 2, now: NOW, leaseMs: 60_000, reserveUsd: 0.0000003 };
const finish = (outcome: RowOutcome, leaseToken = 5): FinishRequest => ({ jobId: 'j', rowId: 'r', leaseToken, outcome, now: NOW });
const usage = { ...ZERO, inputTokens: 7, costNanos: 200 };

describe('decideClaim', () => {
  const job = { status: 'running' as const, budgetLeftNanos: 1000 };

  it('leases a dispatched queued row and moves its worst case into reserved', () => {
    const decision = decideClaim(queued, job, claim, 300);
    expect(decision).toEqual({
      ok: true,
      patch: { status: 'running', attempt: 1, leaseUntil: NOW + 60_000, leaseSeq: 5, reservedNanos: 300 },
      counters: { queued: -1, queuedDispatched: -1, running: 1, reservedNanos: 300 },
    });
  });

  it('refuses, in order: no job, job not running, wrong row state or dispatch generation, retry not yet due, budget', () => {
    expect(decideClaim(queued, undefined, claim, 300)).toMatchObject({ ok: false, refusal: { reason: 'not_claimable' } });
    // The job is checked before the row: a paused job's task is told so even for a row that is gone.
    expect(decideClaim(undefined, { status: 'paused' }, claim, 300)).toMatchObject({ ok: false, refusal: { reason: 'job_not_running' } });
    expect(decideClaim(undefined, job, claim, 300)).toMatchObject({ refusal: { reason: 'not_claimable' } });
    expect(decideClaim({ ...queued, status: 'running' }, job, claim, 300)).toMatchObject({ refusal: { reason: 'not_claimable' } });
    expect(decideClaim({ ...queued, dispatched: false }, job, claim, 300)).toMatchObject({ refusal: { reason: 'not_claimable' } });
    expect(decideClaim({ ...queued, dispatchSeq: 3 }, job, claim, 300)).toMatchObject({ refusal: { reason: 'not_claimable' } });
    expect(decideClaim({ ...queued, nextAttemptAt: NOW + 5 }, job, claim, 300)).toEqual({ ok: false, refusal: { ok: false, reason: 'not_yet', retryAt: NOW + 5 } });
    // A retry not yet due is reported before the budget, so the task waits instead of pausing the job.
    expect(decideClaim({ ...queued, nextAttemptAt: NOW + 5 }, { status: 'running', budgetLeftNanos: 0 }, claim, 300)).toMatchObject({ refusal: { reason: 'not_yet' } });
    expect(decideClaim(queued, { status: 'running', budgetLeftNanos: 299 }, claim, 300)).toEqual({ ok: false, refusal: { ok: false, reason: 'budget' } });
  });

  it('admits a reservation that fits the budget exactly, and any reservation without a budget', () => {
    expect(decideClaim(queued, { status: 'running', budgetLeftNanos: 300 }, claim, 300).ok).toBe(true);
    expect(decideClaim(queued, { status: 'running', budgetLeftNanos: null }, claim, 10 ** 12).ok).toBe(true);
    expect(decideClaim(queued, { status: 'running' }, claim, 10 ** 12).ok).toBe(true);
  });
});

describe('decideFinish', () => {
  const job = { status: 'running' as const };

  it('refuses a stale lease: a wrong token, a row not running, a row or job that is gone', () => {
    const done = finish({ kind: 'done', outputs: { a: 'x' }, cached: false, usage: ZERO, costUsd: 0 });
    expect(decideFinish(running, job, finish(done.outcome, 4), usage)).toEqual({ ok: false, refusal: 'stale_lease' });
    expect(decideFinish({ ...running, status: 'queued' }, job, done, usage)).toEqual({ ok: false, refusal: 'stale_lease' });
    expect(decideFinish(undefined, job, done, usage)).toEqual({ ok: false, refusal: 'stale_lease' });
    expect(decideFinish(running, undefined, done, usage)).toEqual({ ok: false, refusal: 'stale_lease' });
  });

  it('done: terminal with outputs, reservation released, cost spent, usage added, a finish sequence taken', () => {
    const decision = decideFinish(running, job, finish({ kind: 'done', outputs: { a: 'x' }, cached: true, usage: ZERO, costUsd: 0 }), usage);
    expect(decision).toEqual({
      ok: true,
      patch: {
        status: 'done', dispatched: false, outputs: { a: 'x' }, cached: true, errorClass: null, errorMessage: null, finishedAt: NOW,
        inputTokens: 17, cachedInputTokens: 0, outputTokens: 0, costNanos: 250, leaseUntil: null, reservedNanos: 0, flushed: false,
      },
      counters: { running: -1, done: 1, cached: 1, finishSeq: 1, spentNanos: 200, reservedNanos: -300 },
    });
  });

  it('failed: terminal with its error, counted in errorsByClass', () => {
    const decision = decideFinish(running, job, finish({ kind: 'failed', errorClass: 'auth', message: 'no key', usage: ZERO, costUsd: 0 }), usage);
    expect(decision).toMatchObject({
      ok: true,
      patch: { status: 'failed', outputs: null, cached: false, errorClass: 'auth', errorMessage: 'no key', finishedAt: NOW, reservedNanos: 0 },
      counters: { running: -1, failed: 1, finishSeq: 1, spentNanos: 200, reservedNanos: -300, errors: { auth: 1 } },
    });
  });

  const retry: RowOutcome = { kind: 'retry', errorClass: 'server', message: '503', nextAttemptAt: NOW + 9, usage: ZERO, costUsd: 0 };
  const release: RowOutcome = { kind: 'release', usage: ZERO, costUsd: 0 };

  it('retry in a running job: queued again, keeps its slot, counted in retriesByClass', () => {
    expect(decideFinish(running, job, finish(retry), usage)).toMatchObject({
      ok: true,
      patch: { status: 'queued', dispatched: true, attempt: 1, nextAttemptAt: NOW + 9, errorClass: 'server', errorMessage: '503', finishedAt: null },
      counters: { running: -1, queued: 1, queuedDispatched: 1, cancelled: 0, retries: { server: 1 } },
    });
  });

  it('retry in a paused job gives its slot back; in a cancelled job the row is cancelled', () => {
    expect(decideFinish(running, { status: 'paused' }, finish(retry), usage)).toMatchObject({ patch: { status: 'queued', dispatched: false }, counters: { queued: 1, queuedDispatched: 0 } });
    expect(decideFinish(running, { status: 'cancelled' }, finish(retry), usage)).toMatchObject({
      patch: { status: 'cancelled', dispatched: false, finishedAt: NOW },
      counters: { queued: 0, cancelled: 1, queuedDispatched: 0 },
    });
  });

  it('release: back to queued without its slot, the attempt not counted, its error and retry time kept', () => {
    const decision = decideFinish({ ...running, errorClass: 'timeout', errorMessage: 'slow' }, { status: 'paused' }, finish(release), usage);
    expect(decision).toMatchObject({ ok: true, patch: { status: 'queued', dispatched: false, attempt: 0 }, counters: { running: -1, queued: 1, spentNanos: 200, reservedNanos: -300 } });
    if (!decision.ok) throw new Error('unreachable');
    expect(decision.patch).not.toHaveProperty('nextAttemptAt');
    expect(decision.patch).not.toHaveProperty('errorClass');
    expect(decision.counters).not.toHaveProperty('retries');
  });
});

describe('decideExpiry', () => {
  it('a lapsed lease: back to queued without its slot, and the orphaned reservation counted as spent (decision 5)', () => {
    expect(decideExpiry(running, { status: 'running' }, NOW + 60_001)).toEqual({
      ok: true,
      patch: { status: 'queued', dispatched: false, leaseUntil: null, costNanos: 350, reservedNanos: 0, flushed: false, finishedAt: null },
      counters: { running: -1, queued: 1, cancelled: 0, spentNanos: 300, reservedNanos: -300 },
    });
  });

  it('in a cancelled job the row is cancelled at now; Infinity expires every lease, with no finish time', () => {
    expect(decideExpiry(running, { status: 'cancelled' }, NOW + 60_001)).toMatchObject({ patch: { status: 'cancelled', finishedAt: NOW + 60_001 }, counters: { cancelled: 1, queued: 0 } });
    expect(decideExpiry(running, { status: 'cancelled' }, Infinity)).toMatchObject({ patch: { status: 'cancelled', finishedAt: null } });
  });

  it('leaves a live lease and a row not running alone', () => {
    expect(decideExpiry(running, { status: 'running' }, NOW + 60_000)).toBeUndefined();
    expect(decideExpiry(queued, { status: 'running' }, Infinity)).toBeUndefined();
  });
});

describe('decideUndispatch, decideRequeue, decideCancel', () => {
  it('a stale dispatched row gives its slot back; a fresh one, an undispatched one or a running one keep theirs', () => {
    expect(decideUndispatch(queued, NOW)).toEqual({ ok: true, patch: { dispatched: false }, counters: { queuedDispatched: -1 } });
    expect(decideUndispatch(queued, NOW - 1)).toBeUndefined();
    expect(decideUndispatch({ ...queued, dispatched: false }, Infinity)).toBeUndefined();
    expect(decideUndispatch(running, Infinity)).toBeUndefined();
  });

  it('a failed row goes back to queued with attempts and errors cleared, spend kept', () => {
    const failed: RowState = { ...queued, status: 'failed', dispatched: false, attempt: 3, errorClass: 'server', errorMessage: '500', costNanos: 90, finishedAt: NOW };
    expect(decideRequeue(failed)).toEqual({
      ok: true,
      patch: { status: 'queued', dispatched: false, attempt: 0, nextAttemptAt: 0, leaseUntil: null, outputs: null, cached: false, errorClass: null, errorMessage: null, flushed: false, finishedAt: null },
      counters: { failed: -1, queued: 1, errors: { server: -1 } },
    });
    expect(decideRequeue({ ...failed, errorClass: null })).toEqual(expect.objectContaining({ counters: { failed: -1, queued: 1 } }));
    expect(decideRequeue(queued)).toBeUndefined();
  });

  it('cancel: a queued row is cancelled at the transition time, its slot given back if it held one', () => {
    expect(decideCancel(queued, NOW)).toEqual({ ok: true, patch: { status: 'cancelled', dispatched: false, flushed: false, finishedAt: NOW }, counters: { queued: -1, cancelled: 1, queuedDispatched: -1 } });
    expect(decideCancel({ ...queued, dispatched: false }, NOW)).toMatchObject({ counters: { queuedDispatched: 0 } });
    expect(decideCancel(running, NOW)).toBeUndefined();
  });

  it('adds the deltas of several rows field by field, class counts included', () => {
    expect(addDeltas({ queued: -1, errors: { timeout: 1 } }, { queued: -2, cancelled: 3, errors: { timeout: 2, auth: 1 } })).toEqual({ queued: -3, cancelled: 3, errors: { timeout: 3, auth: 1 } });
    expect(addDeltas({}, { retries: { server: 1 } })).toEqual({ retries: { server: 1 } });
  });
});

describe('store arguments', () => {
  it('refuse bad numbers with the messages every store gives', () => {
    expect(() => checkClaimRequest({ ...claim, now: Number.NaN })).toThrow('now must be a finite number, got NaN');
    expect(() => checkClaimRequest({ ...claim, leaseMs: 0 })).toThrow('leaseMs must be a positive number, got 0');
    expect(checkClaimRequest(claim)).toBe(300);
    expect(() => checkFinishRequest(finish({ kind: 'release', usage: { ...ZERO, inputTokens: -1 }, costUsd: 0 }))).toThrow('usage.inputTokens must be a non-negative integer, got -1');
    expect(() => checkFinishRequest(finish({ kind: 'retry', errorClass: 'server', message: '', nextAttemptAt: Infinity, usage: ZERO, costUsd: 0 }))).toThrow('nextAttemptAt must be a finite number');
    expect(checkFinishRequest(finish({ kind: 'release', usage: ZERO, costUsd: 0.000001 })).costNanos).toBe(1000);
    expect(() => checkHoldRequest({ key: 'k', holder: 'h', now: NOW, holdMs: -1 })).toThrow('holdMs must be a positive number, got -1');
  });
});

const ROW_STATUSES: readonly RowStatus[] = ['queued', 'running', 'done', 'failed', 'skipped', 'cancelled'];
const JOB_STATUSES: readonly JobStatus[] = ['preparing', 'running', 'paused', 'cancelled', 'completed'];
/** One row of every status, with and without a slot. */
const EVERY_ROW: readonly RowState[] = ROW_STATUSES.flatMap((status) => [true, false].map((dispatched) => ({ ...queued, status, dispatched })));

describe('dispatch', () => {
  it('only a running job holds window slots', () => {
    expect(JOB_STATUSES.filter(jobHoldsSlots)).toEqual(['running']);
  });

  it('room: at most the limit, never past maxInFlight in flight, never negative', () => {
    expect(dispatchRoom(0, { limit: 5, maxInFlight: 10 })).toBe(5);
    expect(dispatchRoom(7, { limit: 5, maxInFlight: 10 })).toBe(3);
    expect(dispatchRoom(10, { limit: 5, maxInFlight: 10 })).toBe(0);
    expect(dispatchRoom(12, { limit: 5, maxInFlight: 10 })).toBe(0);
    expect(dispatchRoom(0, { limit: 0, maxInFlight: 10 })).toBe(0);
  });

  it('a queued row without a slot takes one under the next generation, its retry time raised to now', () => {
    const row: RowState = { ...queued, dispatched: false, dispatchSeq: 2, nextAttemptAt: NOW - 5 };
    expect(decideDispatch(row, NOW)).toEqual({ ok: true, patch: { dispatched: true, dispatchSeq: 3, nextAttemptAt: NOW }, counters: { queuedDispatched: 1 } });
    // A retry due later keeps its time: the claim waits for it.
    expect(decideDispatch({ ...row, nextAttemptAt: NOW + 9 }, NOW)).toMatchObject({ patch: { nextAttemptAt: NOW + 9 } });
  });

  it('DISPATCHABLE picks exactly the rows decideDispatch takes, over every status (the stores query by it)', () => {
    for (const row of EVERY_ROW) expect(selects(DISPATCHABLE, row), `${row.status} dispatched=${row.dispatched}`).toBe(decideDispatch(row, NOW) !== undefined);
    expect(EVERY_ROW.filter((row) => selects(DISPATCHABLE, row))).toHaveLength(1);
  });
});

describe('decideNewRow', () => {
  const row: NewRow = { rowId: 'r1', rowNumber: 1, inputs: { a: '1' }, inputHash: 'h' };

  it('starts queued and fresh by default, counted as queued', () => {
    expect(decideNewRow(row)).toEqual({
      state: {
        status: 'queued', dispatched: false, dispatchSeq: 0, attempt: 0, nextAttemptAt: 0, leaseUntil: null, leaseSeq: 0, reservedNanos: 0,
        cached: false, errorClass: null, errorMessage: null, inputTokens: 0, cachedInputTokens: 0, outputTokens: 0, costNanos: 0, flushed: false,
        finishedAt: null,
      },
      counters: { total: 1, queued: 1 },
    });
  });

  it('a row decided at submit time keeps its status: skipped, or failed with input_invalid unless it names a class', () => {
    expect(decideNewRow({ ...row, status: 'skipped' })).toMatchObject({ state: { status: 'skipped', errorClass: null }, counters: { total: 1, skipped: 1 } });
    expect(decideNewRow({ ...row, status: 'failed', errorMessage: 'empty' })).toMatchObject({
      state: { status: 'failed', errorClass: 'input_invalid', errorMessage: 'empty' },
      counters: { total: 1, failed: 1, errors: { input_invalid: 1 } },
    });
    expect(decideNewRow({ ...row, status: 'failed', errorClass: 'auth' })).toMatchObject({ state: { errorClass: 'auth' }, counters: { errors: { auth: 1 } } });
  });
});

describe('sumDeltas, negateDelta', () => {
  const deltas: CounterDelta[] = [
    { total: 1, queued: 1 },
    { total: 1, failed: 1, errors: { input_invalid: 1 } },
    { queued: -1, queuedDispatched: 1, retries: { server: 1 } },
    { queued: 1, queuedDispatched: -1, errors: { input_invalid: -1, auth: 1 } },
    {},
  ];

  it('sums like folding addDeltas, zero counts dropped and class counts kept', () => {
    expect(sumDeltas(deltas)).toEqual(deltas.reduce(addDeltas, {}));
    expect(sumDeltas(deltas)).toEqual({ total: 2, queued: 1, failed: 1, errors: { input_invalid: 0, auth: 1 }, retries: { server: 1 } });
    expect(sumDeltas([])).toEqual({});
  });

  it('negates every count, so a delta and its negation add up to nothing', () => {
    const sum = sumDeltas(deltas);
    expect(negateDelta(sum)).toEqual({ total: -2, queued: -1, failed: -1, errors: { input_invalid: 0, auth: -1 }, retries: { server: -1 } });
    expect(addDeltas(sum, negateDelta(sum))).toEqual({ errors: { input_invalid: 0, auth: 0 }, retries: { server: 0 } });
  });
});
