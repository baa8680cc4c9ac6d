// Cheap mode's settings: documented defaults, exact refusals, and a poll backoff that grows to its cap.
import { describe, expect, it } from 'vitest';
import { DEFAULT_ENQUEUED_TOKENS, pollDelay, resolveCheapModeOptions } from '../../../../backend/src/engine/batch/cheap-options.js';
import type { BatchClient } from '../../../../backend/src/ports/batch.js';

const client = { limits: { maxRequestsPerFile: 50_000, maxBytesPerFile: 200_000_000 } } as BatchClient;

describe('cheap mode options', () => {
  it('defaults: a 48 h lease, polls from 30 s to 10 min, whole files, 2,000,000 enqueued tokens a model', () => {
    const o = resolveCheapModeOptions({}, client);
    expect(o).toMatchObject({ leaseMs: 48 * 3600_000, pollMinMs: 30_000, pollMaxMs: 600_000, maxRowsPerBatch: 50_000 });
    expect(o.enqueuedTokens('gpt-4.1-mini')).toBe(DEFAULT_ENQUEUED_TOKENS);
    expect(resolveCheapModeOptions({ enqueuedTokensByModel: { 'gpt-4.1': 900_000 } }, client).enqueuedTokens('gpt-4.1')).toBe(900_000);
  });

  it('polls 1.5× later each time, never past the cap', () => {
    const o = resolveCheapModeOptions({ pollMinMs: 1000, pollMaxMs: 5000 }, client);
    expect([0, 1, 2, 3, 4, 50].map((n) => pollDelay(o, n))).toEqual([1000, 1500, 2250, 3375, 5000, 5000]);
  });

  it('refuses bad values with exact messages', () => {
    expect(() => resolveCheapModeOptions({ maxRowsPerBatch: 60_000 }, client)).toThrow('Expected `batch.options.maxRowsPerBatch` to be an integer from 1 to 50000, got `60000`');
    expect(() => resolveCheapModeOptions({ pollMinMs: 0 }, client)).toThrow('Expected `batch.options.pollMinMs` to be a positive number, got `0`');
    expect(() => resolveCheapModeOptions({ pollMinMs: 10, pollMaxMs: 5 }, client)).toThrow('Expected `batch.options.pollMaxMs` (5) to be at least `pollMinMs` (10)');
  });
});
