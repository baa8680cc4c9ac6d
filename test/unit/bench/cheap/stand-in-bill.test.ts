// The cheap bench's reading of the stand-in's log: batch answers at half price, unbilled entries free.
import { describe, expect, it } from 'vitest';
import { standInBill } from '../../../../bench/cheap/stand-in-bill.js';
import type { RequestLogEntry } from '../../../../local/openai/request-log.js';

const entry = (patch: Partial<RequestLogEntry>): RequestLogEntry => ({
  seq: 1, at: 0, model: 'gpt-4.1-mini', status: 200, fault: null, latencyMs: 0, promptTokens: 1_000_000, completionTokens: 1_000_000, billed: true, rowKey: null, ...patch,
});

describe('standInBill', () => {
  it('bills a batch answer at half the standard price and an unbilled request at nothing', () => {
    const fast = standInBill([entry({})], 'gpt-4.1-mini');
    const batch = standInBill([entry({ batchId: 'batch_1', customId: 'r:1' })], 'gpt-4.1-mini');
    const unbilled = standInBill([entry({ billed: false, status: 429, promptTokens: 0, completionTokens: 0 })], 'gpt-4.1-mini');
    expect(fast).toMatchObject({ fastRequests: 1, batchRequests: 0, promptTokens: 1_000_000, completionTokens: 1_000_000 });
    expect(batch).toMatchObject({ fastRequests: 0, batchRequests: 1 });
    expect(batch.usd).toBeCloseTo(fast.usd / 2, 9);
    expect(fast.usd).toBeGreaterThan(0);
    expect(unbilled).toEqual({ usd: 0, batchRequests: 0, fastRequests: 0, promptTokens: 0, completionTokens: 0 });
  });

  it('refuses a model it has no price for', () => {
    expect(() => standInBill([entry({})], 'no-such-model')).toThrow('no price for model no-such-model');
  });
});
