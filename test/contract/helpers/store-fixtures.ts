// Small builders for contract tests: jobs, rows, outcomes and a running job with rows, all with unique ids.
import { randomUUID } from 'node:crypto';
import { targetKey, type JobConfig, type NewRow, type Usage } from '../../../backend/src/ports/domain.js';
import type { ClaimResult, NewJob, RegistryEntry, RowOutcome, Store } from '../../../backend/src/ports/store.js';

/** A fixed epoch for tests: times are arguments, never the wall clock. */
export const T0 = 1_700_000_000_000;
export const LEASE_MS = 60_000;
export const USAGE: Usage = { inputTokens: 100, cachedInputTokens: 10, outputTokens: 20 };

export const CONFIG: JobConfig = {
  inputs: ['Brand', 'Website'],
  outputs: [
    { name: 'Industry', instruction: 'The industry', type: 'text' },
    { name: 'Size', instruction: 'Company size', type: 'enum', options: ['small', 'large'] },
  ],
  model: 'gpt-test',
  workers: 5,
  budgetUsd: 10,
  maxAttempts: 3,
  maxOutputTokens: 200,
  attemptTimeoutMs: 30_000,
  attemptTimeoutCapMs: 120_000,
  force: false,
};

export function uniqueId(prefix: string): string {
  return `${prefix}-${randomUUID()}`;
}

export function newJob(overrides: Partial<NewJob> = {}): NewJob {
  return {
    id: uniqueId('job'),
    owner: 'owner@example.com',
    target: { kind: 'file', source: `/data/${uniqueId('sheet')}.csv`, out: '/data/out.csv' },
    config: CONFIG,
    configHash: 'config-hash-1',
    budgetUsd: 10,
    createdAt: T0,
    simulated: false,
    ...overrides,
  };
}

/** Rows r1..rN with rowNumber 1..N (offset by `first - 1`). */
export function newRows(n: number, first = 1): NewRow[] {
  return Array.from({ length: n }, (_, i) => {
    const k = first + i;
    return { rowId: `r${k}`, rowNumber: k, inputs: { Brand: `Brand ${k}`, Website: `https://b${k}.example` }, inputHash: `h${k}` };
  });
}

export interface RunningJob {
  readonly jobId: string;
  /** `targetKey` of the job's target: the registry's key for its rows. */
  readonly sheetKey: string;
}

/** Creates a job with `rows` queued rows and moves it to running at T0. */
export async function startJob(store: Store, options: { rows?: number; budgetUsd?: number | null } = {}): Promise<RunningJob> {
  const job = newJob({ budgetUsd: options.budgetUsd === undefined ? 10 : options.budgetUsd });
  await store.createJob(job, T0);
  await store.addRows(job.id, newRows(options.rows ?? 5));
  const moved = await store.transitionJob(job.id, { to: 'running', from: ['preparing'], now: T0 });
  if (moved === undefined) throw new Error('startJob: the job did not start');
  return { jobId: job.id, sheetKey: targetKey(job.target) };
}

export type Claimed = Extract<ClaimResult, { ok: true }>;

/** Dispatches the next row and claims it; fails the test if either step does not happen. */
export async function claimNext(store: Store, jobId: string, options: { now?: number; reserveUsd?: number } = {}): Promise<Claimed> {
  const now = options.now ?? T0;
  const [slot] = await store.dispatchRows({ jobId, maxInFlight: 1_000, limit: 1, now });
  if (slot === undefined) throw new Error('claimNext: nothing to dispatch');
  const claim = await store.claimRow({ jobId, rowId: slot.rowId, dispatchSeq: slot.dispatchSeq, now, leaseMs: LEASE_MS, reserveUsd: options.reserveUsd ?? 0.05 });
  if (!claim.ok) throw new Error(`claimNext: claim refused (${claim.reason})`);
  return claim;
}

/** Writes registry entries the way the engine does: each rides in a row's successful finishRow (`remember.registry`), in order. */
export async function rememberRegistry(store: Store, entries: readonly RegistryEntry[]): Promise<void> {
  const { jobId } = await startJob(store, { rows: entries.length, budgetUsd: null });
  for (const entry of entries) {
    const claimed = await claimNext(store, jobId);
    const recorded = await store.finishRow({ jobId, rowId: claimed.row.rowId, leaseToken: claimed.leaseToken, outcome: done(0), now: T0, remember: { registry: entry } });
    if (!recorded) throw new Error('rememberRegistry: the finish was refused');
  }
}

export function done(costUsd: number, outputs: Record<string, string> = { Industry: 'Retail' }, cached = false): RowOutcome {
  return { kind: 'done', outputs, cached, usage: USAGE, costUsd };
}

export function failed(costUsd = 0, errorClass: 'invalid_request' | 'output_invalid' | 'content_filter' = 'invalid_request'): RowOutcome {
  return { kind: 'failed', errorClass, message: `${errorClass} happened`, usage: USAGE, costUsd };
}

export function retry(nextAttemptAt: number, costUsd = 0): RowOutcome {
  return { kind: 'retry', errorClass: 'rate_limit', message: '429 slow down', nextAttemptAt, usage: USAGE, costUsd };
}

export function release(costUsd = 0): RowOutcome {
  return { kind: 'release', usage: { inputTokens: 0, cachedInputTokens: 0, outputTokens: 0 }, costUsd };
}

/** A small seeded generator (mulberry32) so randomized workloads replay identically. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
