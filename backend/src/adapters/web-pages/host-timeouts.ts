// Adaptive per-host timeouts: each retry waits ×1.5 longer (up to a cap), and a host that was slow starts there next time.
import { attemptTimeout } from '../../engine/backoff.js';

/** Hosts remembered; past this the oldest are forgotten, so a long job over many sites stays bounded in memory. */
const MAX_HOSTS = 10_000;

export class HostTimeouts {
  /** Per host, the attempt level (1 = base timeout) its next request starts at. */
  private readonly levels = new Map<string, number>();

  constructor(
    private readonly baseMs: number,
    private readonly capMs: number,
  ) {}

  /** The timeout of attempt `attempt` (1-based) of a request to `host`. */
  timeoutFor(host: string, attempt: number): number {
    const start = this.levels.get(host) ?? 1;
    return attemptTimeout(this.baseMs, this.capMs, start + attempt - 1);
  }

  /** Attempt `attempt` to `host` timed out: the host's next request starts one step longer than this one. */
  recordTimeout(host: string, attempt: number): void {
    const start = this.levels.get(host) ?? 1;
    const level = start + attempt;
    this.levels.delete(host);
    this.levels.set(host, level);
    if (this.levels.size > MAX_HOSTS) {
      const oldest = this.levels.keys().next().value;
      if (oldest !== undefined) this.levels.delete(oldest);
    }
  }
}
