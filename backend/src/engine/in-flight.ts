// How many rows an auto job keeps in flight: what the rate limits can serve over a call's latency (Little's law).

/** An auto job's window before any limit is known: what a `workers` job may already send before the first answer. */
export const UNKNOWN_RATE_WINDOW = 50;

/** Latency assumed before a model's first answer (real models take 1–3 s); the observed mean replaces it. */
export const LATENCY_GUESS_MS = 2000;

/**
 * Rows in flight beyond rate × latency: a row waiting in the rate limiter goes the moment it lets one go, so the
 * limiter, not the window, is what paces the calls — while every row beyond the limiter's rate only waits.
 */
export const LITTLE_MARGIN = 1.5;

/** Weight of a new observation in the running means. */
const EWMA_WEIGHT = 0.1;

export interface AutoWindowInput {
  /** The rates the limiter lets calls go at, per ms, when known. */
  readonly requestsPerMs?: number | undefined;
  readonly tokensPerMs?: number | undefined;
  /** Mean tokens (prompt + answer) of a call; needed to turn a tokens/min limit into calls. */
  readonly tokensPerCall?: number | undefined;
  /** Mean time from a call's start to its answer. */
  readonly latencyMs?: number | undefined;
  /**
   * Mean time a row holds its slot besides its calls and its wait for the rate limiter: the store steps around the
   * call (reads, hold, claim, finish). On a store 100s of ms away it is as long as the call itself.
   */
  readonly stepsMs?: number | undefined;
  /** The most rows a job may keep in flight (the server's cap). */
  readonly cap: number;
}

/**
 * The window that keeps the provider busy at its limit: calls/ms allowed (the tighter of requests/min and tokens/min)
 * × the time a row holds its slot (its call's latency plus its store steps) × LITTLE_MARGIN, between 1 and `cap`.
 * The limiter's wait is left out of that time on purpose: it only grows with the window, and would grow it back.
 */
export function autoWindow(input: AutoWindowInput): number {
  const byRequests = input.requestsPerMs;
  const byTokens = input.tokensPerMs !== undefined && input.tokensPerCall !== undefined && input.tokensPerCall > 0 ? input.tokensPerMs / input.tokensPerCall : undefined;
  const callsPerMs = byRequests === undefined ? byTokens : byTokens === undefined ? byRequests : Math.min(byRequests, byTokens);
  if (callsPerMs === undefined) return Math.min(input.cap, UNKNOWN_RATE_WINDOW);
  const latency = (input.latencyMs ?? LATENCY_GUESS_MS) + (input.stepsMs ?? 0);
  return Math.max(1, Math.min(input.cap, Math.ceil(callsPerMs * latency * LITTLE_MARGIN)));
}

/** Running means of a model's call latency and tokens per call, and of its rows' store steps, in this process. */
export class CallStats {
  private readonly models = new Map<string, { latencyMs: number; tokens: number }>();
  private readonly steps = new Map<string, number>();

  observe(model: string, latencyMs: number, tokens: number): void {
    const m = this.models.get(model);
    this.models.set(model, { latencyMs: movedMean(m?.latencyMs, latencyMs), tokens: movedMean(m?.tokens, tokens) });
  }

  latencyMs(model: string): number | undefined {
    return this.models.get(model)?.latencyMs;
  }

  tokensPerCall(model: string): number | undefined {
    return this.models.get(model)?.tokens;
  }

  /** A row of `model` finished: how long it held its slot besides its calls and its wait for the rate limiter. */
  observeSteps(model: string, ms: number): void {
    this.steps.set(model, movedMean(this.steps.get(model), ms));
  }

  stepsMs(model: string): number | undefined {
    return this.steps.get(model);
  }
}

/** A running mean after one more observation: the first one itself, then a tenth of the way to each new one. */
function movedMean(mean: number | undefined, observed: number): number {
  return mean === undefined ? observed : mean + EWMA_WEIGHT * (observed - mean);
}
