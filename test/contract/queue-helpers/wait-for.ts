// Polls a condition until it holds, so contract tests wait on outcomes instead of guessing durations.

export interface WaitForOptions {
  /** What is being waited for, for the timeout message. */
  readonly what: string;
  /** Give up after this long (ms). Default 15_000: generous, since a loaded CI machine is slow but not wrong. */
  readonly timeoutMs?: number;
}

export async function waitFor(condition: () => boolean, options: WaitForOptions): Promise<void> {
  const deadline = Date.now() + (options.timeoutMs ?? 15_000);
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${options.what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** Lets the event loop run for a while, to give a wrong implementation the chance to misbehave before we look. */
export function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export interface Deferred<T> {
  readonly promise: Promise<T>;
  resolve(value: T): void;
}

export function deferred<T>(): Deferred<T> {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}
