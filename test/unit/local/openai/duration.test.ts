// OpenAI's duration format for x-ratelimit-reset-* headers.
import { describe, expect, it } from 'vitest';
import { formatOpenAiDuration } from '../../../../local/openai/duration.js';

describe('formatOpenAiDuration', () => {
  it('writes durations the way OpenAI does', () => {
    expect(formatOpenAiDuration(0)).toBe('0s');
    expect(formatOpenAiDuration(119.2)).toBe('120ms');
    expect(formatOpenAiDuration(1000)).toBe('1s');
    expect(formatOpenAiDuration(1500)).toBe('1.5s');
    expect(formatOpenAiDuration(360_000)).toBe('6m0s');
    expect(formatOpenAiDuration(3_723_000)).toBe('1h2m3s');
  });
});
