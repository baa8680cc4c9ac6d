// Adaptive per-host timeouts: each retry waits ×1.5 longer (up to a cap), and a host that was slow starts there next time.
import { attemptTimeout } from '../../kernel/backoff.js';

/** Hosts remembered; past this the oldest are forgotten, so a long job over many sites stays bounded in memory. */
const MAX_HOSTS = 10_000;

export class HostTimeouts {
  /** Per host, the timeout level (1 = base timeout) its next request starts at. */
  private readonly levels = new Map<string, number>();

  constructor(
    private readonly baseMs: number,
    private readonly capMs: number,
  ) {}

  /** The level a new request to `host` starts at: 1, or one past the longest timeout the host has run out. */
  startLevel(host: string): number {
    return this.levels.get(host) ?? 1;
  }

  /** The timeout at `level`: the base ×1.5 per level above 1, capped. */
  timeoutAt(level: number): number {
    return attemptTimeout(this.baseMs, this.capMs, level);
  }

  /** A request to `host` ran out its timeout at `level`: the host's next request starts one level higher. */
  recordTimeout(host: string, level: number): void {
    const next = Math.max(this.startLevel(host), level + 1);
    this.levels.delete(host);
    this.levels.set(host, next);
    if (this.levels.size > MAX_HOSTS) {
      const oldest = this.levels.keys().next().value;
      if (oldest !== undefined) this.levels.delete(oldest);
    }
  }
}
