// Waits for a job to settle by reading the engine's progress stream, as the CLI does, within a time limit.
import type { Engine, Progress } from '../../backend/src/engine/engine.js';

/** 100 ms sampling: fine enough that polling adds little to a makespan, coarse enough to cost nothing. */
export async function settleJob(engine: Engine, jobId: string, timeoutMs: number): Promise<Progress> {
  let last: Progress | undefined;
  for await (const p of engine.progress(jobId, { intervalMs: 100, signal: AbortSignal.timeout(timeoutMs) })) last = p;
  if (!last?.settled) throw new Error(`job ${jobId} did not settle within ${Math.round(timeoutMs / 1000)} s: ${JSON.stringify(last?.counts)}`);
  return last;
}
