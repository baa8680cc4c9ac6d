// Token counting with a real tokenizer (o200k), used for rate-limit estimates and worst-case reservations.
import { countTokens as count } from 'gpt-tokenizer';

export function countTokens(text: string): number {
  return count(text);
}

/** A typical answer's size, for rate-limit estimates: short values per column plus JSON punctuation. */
export function expectedOutputTokens(outputCount: number, maxOutputTokens: number): number {
  return Math.min(maxOutputTokens, 8 + outputCount * 24);
}
