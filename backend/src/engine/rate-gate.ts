// Waiting for the rate limiter in line: calls wait in arrival order, and one timer per model lets them go as it allows.
import type { Clock } from '../ports/clock.js';
import type { RateLimiter } from './rate-limiter.js';

export type GateAnswer = { readonly ok: true } | { readonly ok: false; readonly retryAfterMs: number };

interface Waiter {
  readonly tokens: number;
  readonly deadline: number;
  readonly resolve: (answer: GateAnswer) => void;
}

interface Line {
  readonly waiters: Waiter[];
  cancelTimer: (() => void) | undefined;
  /** When the pending timer should fire: lateness past it means the process was held up. */
  dueAt: number;
}

/** Timer lateness taken as a hold-up (below it: ordinary timer jitter). */
const HELD_UP_MS = 50;

const OK: GateAnswer = { ok: true };

/**
 * Hundreds of rows waiting on one limit used to poll it together: every refill woke them all, and after the event loop
 * was held up (a busy process, a loaded machine) the ones whose time had come went at once, in a bunch the provider
 * answered with 429s. Here they wait in line and take their tokens only when they go, so what leaves in any stretch of
 * time is never more than the limiter's own burst plus its rate, however late a timer fires; and a timer that fires
 * late forfeits the refill of the hold-up, since the calls held up with it leave now as well.
 */
export class RateGate {
  private readonly lines = new Map<string, Line>();

  constructor(
    private readonly limiter: RateLimiter,
    private readonly clock: Clock,
    private readonly setTimer: (ms: number, fn: () => void) => () => void,
  ) {}

  /**
   * Wait in line for one call of `model` needing `tokens` tokens. A place whose turn is expected more than `maxWaitMs`
   * away is refused at once, with `retryAfterMs` half a wait before that turn (so the row is back in line before it is
   * due); a waiter still in line at its deadline (a Retry-After held everyone) is let out the same way.
   */
  async wait(model: string, tokens: number, maxWaitMs: number): Promise<GateAnswer> {
    const line = this.lineFor(model);
    const now = this.clock.now();
    const expected = line.waiters.length === 0 ? this.limiter.tryAcquire(model, tokens, now) : this.expectedWait(model, tokens, line.waiters.length + 1, now);
    if (line.waiters.length === 0 && expected === 0) return OK;
    if (expected > maxWaitMs) return { ok: false, retryAfterMs: Math.max(1, Math.ceil(expected - maxWaitMs / 2)) };
    return new Promise<GateAnswer>((resolve) => {
      line.waiters.push({ tokens, deadline: now + maxWaitMs, resolve });
      if (!line.cancelTimer) this.pump(model, line);
    });
  }

  /** Rows in line for `model` now. */
  waiting(model: string): number {
    return this.lines.get(model)?.waiters.length ?? 0;
  }

  /** The wait for the `position`th place in line: the tighter known rate, else none known (the deadline still holds). */
  private expectedWait(model: string, tokens: number, position: number, now: number): number {
    const { requestsPerMs, tokensPerMs } = this.limiter.rates(model);
    const byRequests = requestsPerMs ? position / requestsPerMs : 0;
    const byTokens = tokensPerMs ? (position * tokens) / tokensPerMs : 0;
    return Math.max(byRequests, byTokens, this.limiter.blockedFor(model, now));
  }

  private lineFor(model: string): Line {
    let line = this.lines.get(model);
    if (!line) {
      line = { waiters: [], cancelTimer: undefined, dueAt: 0 };
      this.lines.set(model, line);
    }
    return line;
  }

  /** Let waiters go from the head while the limiter allows, then sleep until the head's tokens are due. */
  private pump(model: string, line: Line): void {
    const late = line.cancelTimer ? this.clock.now() - line.dueAt : 0;
    line.cancelTimer = undefined;
    if (late > HELD_UP_MS) this.limiter.forfeitRefill(model, late, this.clock.now());
    for (;;) {
      const head = line.waiters[0];
      if (!head) return;
      const now = this.clock.now();
      const wait = this.limiter.tryAcquire(model, head.tokens, now);
      if (wait === 0) {
        line.waiters.shift();
        head.resolve(OK);
        continue;
      }
      if (now + wait > head.deadline) {
        line.waiters.shift();
        head.resolve({ ok: false, retryAfterMs: wait });
        continue;
      }
      line.dueAt = now + wait;
      line.cancelTimer = this.setTimer(wait, () => this.pump(model, line));
      return;
    }
  }
}
