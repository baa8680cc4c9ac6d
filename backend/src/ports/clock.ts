// The Clock port: time and waiting, injectable so tests can control them.

export interface Clock {
  now(): number;
  /** Resolves after `ms`, or rejects with the signal's reason when aborted. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
  /**
   * Calls `fn` after `ms` unless the returned cancel function runs first. Optional: cheaper than an aborted sleep
   * for a timeout that is almost always cancelled (no AbortError is built).
   */
  setTimer?(ms: number, fn: () => void): () => void;
}

/** Uniform random in [0, 1); injectable so backoff jitter is reproducible in tests. */
export type Random = () => number;
