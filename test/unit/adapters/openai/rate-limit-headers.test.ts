// Reading OpenAI's x-ratelimit-* headers and its duration format.
import { describe, expect, it } from 'vitest';
import { parseOpenAiDuration, rateLimitFromHeaders } from '../../../../backend/src/adapters/openai/rate-limit-headers.js';

describe('parseOpenAiDuration', () => {
  it('reads the formats OpenAI sends', () => {
    expect(parseOpenAiDuration('120ms')).toBe(120);
    expect(parseOpenAiDuration('1s')).toBe(1000);
    expect(parseOpenAiDuration('1.5s')).toBe(1500);
    expect(parseOpenAiDuration('6m0s')).toBe(360_000);
    expect(parseOpenAiDuration('1h2m3s')).toBe(3_723_000);
    expect(parseOpenAiDuration('2m30.5s')).toBe(150_500);
    expect(parseOpenAiDuration('3')).toBe(3000);
  });

  it('ignores garbage rather than trusting it', () => {
    expect(parseOpenAiDuration(null)).toBeUndefined();
    expect(parseOpenAiDuration('')).toBeUndefined();
    expect(parseOpenAiDuration('soon')).toBeUndefined();
    expect(parseOpenAiDuration('5 minutes')).toBeUndefined();
  });
});

describe('rateLimitFromHeaders', () => {
  it('reads every header into the port shape', () => {
    const headers = new Headers({
      'x-ratelimit-limit-requests': '500',
      'x-ratelimit-limit-tokens': '200000',
      'x-ratelimit-remaining-requests': '499',
      'x-ratelimit-remaining-tokens': '199000',
      'x-ratelimit-reset-requests': '120ms',
      'x-ratelimit-reset-tokens': '6m0s',
    });
    expect(rateLimitFromHeaders(headers)).toEqual({
      limitRequests: 500,
      limitTokens: 200_000,
      remainingRequests: 499,
      remainingTokens: 199_000,
      resetRequestsMs: 120,
      resetTokensMs: 360_000,
    });
  });

  it('keeps only what was sent, and nothing when no header was', () => {
    expect(rateLimitFromHeaders(new Headers({ 'x-ratelimit-remaining-tokens': '10', 'x-ratelimit-limit-requests': 'lots' }))).toEqual({ remainingTokens: 10 });
    expect(rateLimitFromHeaders(new Headers())).toBeUndefined();
  });
});
