// The retry loop a baseline wraps around each call: on 429, wait as its policy says, up to its retry limit.
import { setTimeout as sleep } from 'node:timers/promises';
import type { BaselineClient } from './baseline-client.js';

export interface RetryPolicy {
  readonly maxRetries: number;
  /** ms to wait before retry number `retry` (0-based), given what the server's Retry-After said. */
  delayMs(retry: number, retryAfterMs: number | undefined): number;
}

export interface RowResult {
  readonly inputs: Readonly<Record<string, string>>;
  readonly answer: Record<string, unknown> | null;
  readonly error: string | null;
}

/** Gives up when retries run out or the contender's deadline passes, so no row can loop for ever. */
export async function callWithRetries(client: BaselineClient, inputs: Readonly<Record<string, string>>, policy: RetryPolicy, deadline: number): Promise<RowResult> {
  for (let retry = 0; ; retry++) {
    const outcome = await client.call(inputs);
    if (outcome.kind === 'ok') return { inputs, answer: outcome.answer, error: null };
    if (outcome.kind === 'error') return { inputs, answer: null, error: outcome.message };
    if (retry >= policy.maxRetries) return { inputs, answer: null, error: `429 after ${retry} retries` };
    const delay = policy.delayMs(retry, outcome.retryAfterMs);
    if (Date.now() + delay > deadline) return { inputs, answer: null, error: 'bench deadline passed' };
    await sleep(delay);
  }
}
