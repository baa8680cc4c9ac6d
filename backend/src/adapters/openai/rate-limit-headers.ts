// Reads OpenAI's x-ratelimit-* response headers into the port's RateLimitInfo, durations included.
import type { RateLimitInfo } from '../../ports/model.js';

interface HeaderSource {
  get(name: string): string | null;
}

const UNIT_MS: Readonly<Record<string, number>> = { h: 3_600_000, m: 60_000, s: 1000, ms: 1 };

/**
 * An OpenAI duration (`6m0s`, `1s`, `1.5s`, `120ms`, `1h2m3s`) in ms; a bare number counts as seconds, like
 * Retry-After. Undefined for anything else, so a garbled header is ignored rather than trusted.
 */
export function parseOpenAiDuration(text: string | null): number | undefined {
  if (text === null) return undefined;
  const trimmed = text.trim();
  if (trimmed === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Number(trimmed) * 1000;
  // `ms` must be tried before `m`, or `120ms` would read as 120 minutes and a stray `s`.
  const parts = /^(?:(\d+(?:\.\d+)?)(ms|h|m|s))+$/.test(trimmed) ? trimmed.match(/\d+(?:\.\d+)?(?:ms|h|m|s)/g) : null;
  if (!parts) return undefined;
  let total = 0;
  for (const part of parts) {
    const [, value, unit] = /^(\d+(?:\.\d+)?)(ms|h|m|s)$/.exec(part) ?? [];
    total += Number(value) * (UNIT_MS[unit ?? ''] ?? 0);
  }
  return total;
}

function count(headers: HeaderSource, name: string): number | undefined {
  const text = headers.get(name);
  if (text === null || text.trim() === '') return undefined;
  const value = Number(text);
  return Number.isFinite(value) && value >= 0 ? value : undefined;
}

/** The limits the provider reported, or undefined when it sent none of the headers. */
export function rateLimitFromHeaders(headers: HeaderSource): RateLimitInfo | undefined {
  const entries = Object.entries({
    limitRequests: count(headers, 'x-ratelimit-limit-requests'),
    limitTokens: count(headers, 'x-ratelimit-limit-tokens'),
    remainingRequests: count(headers, 'x-ratelimit-remaining-requests'),
    remainingTokens: count(headers, 'x-ratelimit-remaining-tokens'),
    resetRequestsMs: parseOpenAiDuration(headers.get('x-ratelimit-reset-requests')),
    resetTokensMs: parseOpenAiDuration(headers.get('x-ratelimit-reset-tokens')),
  }).filter(([, value]) => value !== undefined);
  return entries.length === 0 ? undefined : Object.fromEntries(entries);
}
