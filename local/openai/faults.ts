// The failures the stand-in can inject, and the one draw per request that decides which (if any) happens.

/** Every kind of fault, in the fixed order the draw walks them (changing it would change seeded runs). */
export const FAULT_KINDS = [
  'error500',
  'hang',
  'malformed',
  'insufficientQuota',
  'connectionReset',
  'rateLimit',
  'invalidOutput',
  'refusal',
  'contentFilter',
  'overUsage',
  'hugeAnswer',
  'emptyChoices',
  'fabricatedCitation',
] as const;

/**
 * - `error500`: 500 server_error after the usual latency.
 * - `hang`: never answers; the socket is destroyed after `hangMs` unless the client gives up first.
 * - `malformed`: 200 whose content is truncated JSON.
 * - `insufficientQuota`: 429 insufficient_quota, at once.
 * - `connectionReset`: the socket is destroyed after the usual latency, with no response.
 * - `rateLimit`: a spurious 429 rate_limit_exceeded with retry-after, at once.
 * - `invalidOutput`: 200 with valid JSON that breaks the schema (a field missing, others of the wrong type).
 * - `refusal`: 200 whose message is a refusal with null content.
 * - `contentFilter`: 200 with finish_reason `content_filter` and null content.
 * - `overUsage`: 200 with a good answer whose usage reports `overUsageTokens` completion tokens, whatever the cap
 *   (a provider that does not honour max_completion_tokens).
 * - `hugeAnswer`: 200 whose answer text is padded to a body of `hugeAnswerBytes`.
 * - `emptyChoices`: 200 with `choices: []` and the usage of a normal answer (billed, nothing to read).
 * - `fabricatedCitation`: 200 whose research answer cites, as its only source, a URL no tool call returned (tool
 *   turns and answers without sources are unaffected).
 */
export type FaultKind = (typeof FAULT_KINDS)[number];

/** Probability per request of each fault; they are exclusive, so they must sum to at most 1. */
export type FaultRates = Readonly<Record<FaultKind, number>>;

export const NO_FAULTS: FaultRates = Object.fromEntries(FAULT_KINDS.map((kind) => [kind, 0])) as Record<FaultKind, number>;

/** The fault for a request given one uniform draw in [0, 1), or null for a normal answer. */
export function pickFault(rates: FaultRates, draw: number): FaultKind | null {
  let threshold = 0;
  for (const kind of FAULT_KINDS) {
    threshold += rates[kind];
    if (draw < threshold) return kind;
  }
  return null;
}

/** Faults that answer at once, before admission, so they neither wait for latency nor spend the rate limits. */
export function isImmediateFault(fault: FaultKind | null): boolean {
  return fault === 'rateLimit' || fault === 'insufficientQuota';
}
