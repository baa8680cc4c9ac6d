// Output tokens per call a row's reservation covers, per model: the job's cap, raised for good once a provider reports more.
import type { Job } from '../ports/domain.js';
import type { Store } from '../ports/store.js';

/** Kept beside the answers in the store's cache, under keys no answer uses (answer keys are SHA-256 hex). */
const KEY_PREFIX = 'usage-ceiling:';
const KEEP_MS = 365 * 24 * 3600_000;

/**
 * A provider that ignores max_completion_tokens breaks the worst case every reservation assumes. What it reported is
 * remembered per model in this process and in the store, so later reservations — in other processes, and after a
 * resume in a new one — cover what was actually seen.
 */
export class UsageCeilings {
  private readonly seen = new Map<string, number>();
  /** Loads per job run: a resume (a new runningSince) reads again what other processes learned meanwhile. */
  private readonly loads = new Map<string, Promise<void>>();

  constructor(private readonly store: Store) {}

  /** Output tokens per call to reserve for in `job`: its cap, or the most a call of its model was seen to report. */
  async outputTokens(job: Job, now: number): Promise<number> {
    await this.load(job, now);
    return Math.max(job.config.maxOutputTokens, this.seen.get(job.config.model) ?? 0);
  }

  /** Remembers a call that reported `outputTokens`, here and in the store, when that is more than known so far. */
  async note(model: string, outputTokens: number, now: number): Promise<void> {
    if (outputTokens <= (this.seen.get(model) ?? 0)) return;
    this.seen.set(model, outputTokens);
    const stored = await this.readStored(model, now);
    if (outputTokens > stored) await this.store.putCache(KEY_PREFIX + model, { outputs: { outputTokens }, expiresAt: now + KEEP_MS });
  }

  private load(job: Job, now: number): Promise<void> {
    const key = `${job.id}:${job.runningSince}`;
    let loading = this.loads.get(key);
    if (!loading) {
      if (this.loads.size > 1000) this.loads.clear();
      const model = job.config.model;
      loading = this.readStored(model, now).then(
        (stored) => {
          if (stored > (this.seen.get(model) ?? 0)) this.seen.set(model, stored);
        },
        (error: unknown) => {
          this.loads.delete(key);
          throw error;
        },
      );
      this.loads.set(key, loading);
    }
    return loading;
  }

  private async readStored(model: string, now: number): Promise<number> {
    const entry = await this.store.getCache(KEY_PREFIX + model, now);
    const value = entry?.outputs.outputTokens;
    return typeof value === 'number' && Number.isFinite(value) ? value : 0;
  }
}
