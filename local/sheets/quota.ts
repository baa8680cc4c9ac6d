// Per-user request quotas like Google's "requests per minute per user": a sliding one-minute window, 429 RESOURCE_EXHAUSTED past it.
import { SheetsApiError } from './api-error.js';

export type RequestKind = 'read' | 'write';

const WINDOW_MS = 60_000;

const METRICS: Readonly<Record<RequestKind, { metric: string; label: string; limit: string }>> = {
  read: { metric: 'sheets.googleapis.com/read_requests', label: 'Read requests', limit: 'ReadRequestsPerMinutePerUser' },
  write: { metric: 'sheets.googleapis.com/write_requests', label: 'Write requests', limit: 'WriteRequestsPerMinutePerUser' },
};

/** Google's 429 for a per-user quota, with the ErrorInfo detail real responses carry. */
export function quotaExceeded(kind: RequestKind): SheetsApiError {
  const m = METRICS[kind];
  return new SheetsApiError(
    429,
    'RESOURCE_EXHAUSTED',
    `Quota exceeded for quota metric '${m.label}' and limit '${m.label} per minute per user' of service 'sheets.googleapis.com' for consumer 'project_number:0'.`,
    [
      {
        '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
        reason: 'RATE_LIMIT_EXCEEDED',
        domain: 'googleapis.com',
        metadata: { quota_metric: m.metric, quota_limit: m.limit, service: 'sheets.googleapis.com', consumer: 'projects/0' },
      },
    ],
  );
}

export class QuotaTracker {
  private readonly used = new Map<string, number[]>();

  /** Counts a request against `user`'s window, or throws the 429 when `limit` requests already fell inside it (null = no limit). */
  admit(user: string, kind: RequestKind, limit: number | null, now: number): void {
    if (limit === null) return;
    const key = `${kind}:${user}`;
    const times = (this.used.get(key) ?? []).filter((t) => t > now - WINDOW_MS);
    if (times.length >= limit) {
      this.used.set(key, times);
      throw quotaExceeded(kind);
    }
    times.push(now);
    this.used.set(key, times);
  }

  reset(): void {
    this.used.clear();
  }
}
