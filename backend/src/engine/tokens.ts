// Token counting with a real tokenizer (o200k), used for rate-limit estimates and worst-case reservations.
import { countTokens as count } from 'gpt-tokenizer';
import type { ChatMessage } from '../ports/model.js';

/** Tokens the chat format adds per message and per reply, as OpenAI's cookbook counts them. */
const PER_MESSAGE = 4;
const PER_REPLY = 3;

export function countTokens(text: string): number {
  return count(text);
}

export function countMessageTokens(messages: readonly ChatMessage[]): number {
  let total = PER_REPLY;
  for (const m of messages) total += PER_MESSAGE + count(m.content);
  return total;
}

/** A typical answer's size, for rate-limit estimates: short values per column plus JSON punctuation. */
export function expectedOutputTokens(outputCount: number, maxOutputTokens: number): number {
  return Math.min(maxOutputTokens, 8 + outputCount * 24);
}
