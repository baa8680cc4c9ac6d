// transitionJob: moves a job between states, copying status and budget to its shards, then finishes it on its queued rows (finish-transition.ts).
import type { Job } from '../../ports/domain.js';
import type { TransitionRequest } from '../../ports/store.js';
import { normalize } from './budget.js';
import type { StoreContext } from './context.js';
import { read, toJob } from './mappers.js';
import type { CounterDoc, JobDoc } from './records.js';
import { finishTransition } from './finish-transition.js';
import { decideJobTransition } from '../../domain/job-transitions.js';
import { checkTransitionRequest } from '../../domain/store-arguments.js';

type Outcome = { readonly kind: 'absent' } | { readonly kind: 'busy' } | { readonly kind: 'moved'; readonly job: Job; readonly settle: boolean };

/**
 * Status and budget are copied into every counter and window shard in the same commit, and the claims and finishes
 * that rely on them pin their shard (dispatches read the window shards under a transaction's locks): so a claim either
 * lands before the pause (its row then runs on) or sees it — the serialization a single job row gives SQLite, without
 * every claim touching the job document.
 */
export async function transitionJob(ctx: StoreContext, jobId: string, request: TransitionRequest): Promise<Job | undefined> {
  const budget = checkTransitionRequest(request);
  // Many row tasks may decide to pause the same job at once: in this process they take turns, so the first moves it
  // and the rest see it moved, instead of all racing for the job document.
  return ctx.mutex.run(`transition:${jobId}`, () => transition(ctx, jobId, request, budget));
}

async function transition(ctx: StoreContext, jobId: string, request: TransitionRequest, budget: number | null | undefined): Promise<Job | undefined> {
  const { layout } = ctx;
  for (;;) {
    // A previous transition's rows must be finished first: a resume must not find rows still holding old slots.
    await finishTransition(ctx, jobId);
    const outcome = await ctx.occ<Outcome>('transitionJob', async (attempt) => {
      const [jobSnapshot] = await attempt.getAll([layout.job(jobId)]);
      const job = read.job(jobSnapshot!);
      const transition = decideJobTransition(job, request, budget);
      if (job === undefined || transition === undefined) return { kind: 'absent' };
      if (job.settle !== null) return { kind: 'busy' };
      // The queued rows' step is left on the job as its mark and worked off by finishTransition.
      const next: JobDoc = { ...job, ...transition.job, settle: transition.rows };
      const copy = next.status !== job.status || next.budgetNanos !== job.budgetNanos || budget !== undefined;
      const regrant = copy && (budget !== undefined || (next.status === 'running' && next.budgetNanos !== null));
      if (copy) {
        // The copies are written blind: a claim or finish that read the old status pins its shard and so loses to this
        // commit, and one that landed first is simply ordered before it. Only new grants depend on the shards' money.
        const counterSnapshots = await attempt.query(layout.counters(jobId), { pin: regrant });
        let counters = counterSnapshots.map((snapshot) => read.counter(snapshot)!);
        const grants = regrant ? startingGrants(counters, next) : undefined;
        counters = counters.map((counter, i): CounterDoc => ({ ...counter, status: next.status, budgetNanos: next.budgetNanos, grantNanos: grants?.[i] ?? counter.grantNanos }));
        counterSnapshots.forEach((snapshot, i) => attempt.update(snapshot.ref, { status: next.status, budgetNanos: next.budgetNanos, grantNanos: counters[i]!.grantNanos }));
        if (grants !== undefined) {
          const [poolSnapshot] = await attempt.getAll([layout.pool(jobId)]);
          attempt.update(poolSnapshot!.ref, { grantedNanos: grants.reduce((a, b) => a + b, 0) });
        }
        for (const snapshot of await attempt.query(layout.windows(jobId), { pin: false })) attempt.update(snapshot.ref, { status: next.status });
      }
      attempt.update(jobSnapshot!.ref, next);
      return { kind: 'moved', job: toJob(next), settle: transition.rows !== null };
    });
    if (outcome.kind === 'busy') continue;
    if (outcome.kind === 'absent') return undefined;
    if (outcome.settle) await finishTransition(ctx, jobId);
    return outcome.job;
  }
}

/**
 * A new budget, or a start or resume with one, begins from a clean slate: every idle allowance goes back to the pool
 * (which the budget then bounds), and a running job's shards each get a first share of what is free — so the first
 * claims do not all queue on the pool at once.
 */
function startingGrants(counters: readonly CounterDoc[], job: JobDoc): number[] {
  const grants = [...normalize(counters).grants];
  if (job.status !== 'running' || job.budgetNanos === null) return grants;
  const free = job.budgetNanos - grants.reduce((a, b) => a + b, 0);
  const share = Math.floor(Math.max(0, free) / (2 * counters.length));
  return grants.map((grant) => grant + share);
}
