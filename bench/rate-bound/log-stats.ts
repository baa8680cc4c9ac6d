// Reads what a contender did from the stand-in's side: calls made, 429s received, tokens per answered call.
import type { RequestLogEntry } from '../../local/openai/request-log.js';

export interface LogStats {
  readonly calls: number;
  readonly rateLimited: number;
  /** Mean prompt + completion tokens over billed answers; 0 when there were none. */
  readonly tokensPerCall: number;
}

export function logStats(log: readonly RequestLogEntry[]): LogStats {
  let rateLimited = 0;
  let billed = 0;
  let tokens = 0;
  for (const entry of log) {
    if (entry.status === 429) rateLimited++;
    if (entry.billed) {
      billed++;
      tokens += entry.promptTokens + entry.completionTokens;
    }
  }
  return { calls: log.length, rateLimited, tokensPerCall: billed === 0 ? 0 : tokens / billed };
}
