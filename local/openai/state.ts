// The stand-in's mutable state in one place: settings, limiter, seeded generator, log, counters and pending timers.
import { performance } from 'node:perf_hooks';
import { BatchStore } from './batch-store.js';
import { FileStore } from './files-store.js';
import { seededRandom } from './prng.js';
import { RateLimiter } from './rate-limits.js';
import { RequestLog } from './request-log.js';
import { applySettings, type StandInSettings } from './settings.js';

export class StandInState {
  settings: StandInSettings;
  limiter: RateLimiter;
  random: () => number;
  readonly log: RequestLog;
  /** The Batch API's uploaded and written files, and its batches. */
  readonly files = new FileStore();
  readonly batches = new BatchStore();
  private completionSeq = 0;
  private requestSeq = 0;
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(settings: StandInSettings) {
    this.settings = settings;
    this.limiter = new RateLimiter(settings, performance.now());
    this.random = seededRandom(settings.seed);
    this.log = new RequestLog(settings.logLimit);
  }

  /** Validates and applies a patch. Limits restart full and the generator restarts only when their settings are named. */
  configure(patch: unknown): StandInSettings {
    const next = applySettings(this.settings, patch);
    const named = (key: keyof StandInSettings): boolean => typeof patch === 'object' && patch !== null && key in patch;
    this.settings = next;
    if (named('rpm') || named('tpm') || named('burstSeconds')) this.limiter = new RateLimiter(next, performance.now());
    if (named('seed')) this.random = seededRandom(next.seed);
    if (named('logLimit')) this.log.setLimit(next.logLimit);
    return next;
  }

  nextCompletionSeq(): number {
    return ++this.completionSeq;
  }

  /** Headers every response carries: the limiter's view right now and a request id. */
  responseHeaders(): Record<string, string> {
    return { ...this.limiter.headers(performance.now()), 'x-request-id': `req_standin_${(++this.requestSeq).toString(16).padStart(8, '0')}` };
  }

  now(): number {
    return performance.now();
  }

  /** A timer that close() can cancel, so a closed stand-in leaves nothing behind. */
  schedule(ms: number, run: () => void): NodeJS.Timeout {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      run();
    }, ms);
    this.timers.add(timer);
    return timer;
  }

  cancel(timer: NodeJS.Timeout): void {
    clearTimeout(timer);
    this.timers.delete(timer);
  }

  cancelAll(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }
}
