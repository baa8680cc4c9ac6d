// What alerts say: money and time read naturally, the confirmation states the estimate against the budget, the sharing hint names the account.
import { describe, expect, it } from 'vitest';
import type { EstimateView } from '../../../backend/src/http/api-types.js';
import { bytesToHex } from '../../../addon/src/hex.js';
import { eta, money, moneyRange, rowsPerMinute } from '../../../addon/src/format.js';
import { bothPrices, confirmStart, overwriteWarning, rowsToEnrich, selectionChanged, selectionLine } from '../../../addon/src/messages.js';

const estimate: EstimateView = {
  rows: 120,
  toRun: 100,
  skippedUnchanged: 15,
  invalid: 0,
  reused: 5,
  costLowUsd: 0.0123,
  costHighUsd: 0.0456,
  worstCaseUsd: 0.9,
  cheapCostLowUsd: 0.00615,
  cheapCostHighUsd: 0.0228,
  cheapWorstCaseUsd: 0.6,
  priced: true,
  simulated: false,
  model: 'gpt-4.1-mini',
  overwrites: [],
  maxSearchesPerRow: 0,
  maxPagesPerRow: 0,
  searchCostLowUsd: 0,
  searchCostHighUsd: 0,
  readingCostHighUsd: 0,
};

describe('add-on messages', () => {
  it('formats money, ranges, ETAs and rates', () => {
    expect([money(0), money(0.0042), money(1.5), money(null)]).toEqual(['$0.00', '$0.0042', '$1.50', '—']);
    expect(moneyRange(0.0123, 0.0456)).toBe('$0.01–$0.05');
    expect([eta(null), eta(0), eta(20_000), eta(3 * 60_000), eta(80 * 60_000), eta(120 * 60_000)]).toEqual(['unknown', 'done', 'under a minute', 'about 3 min', 'about 1 h 20 min', 'about 2 h']);
    expect([rowsPerMinute(0), rowsPerMinute(3.25), rowsPerMinute(120.4)]).toEqual(['—', '3.3 rows/min', '120 rows/min']);
  });

  it('asks before spending, with rows, skips, cache, cost and budget', () => {
    expect(rowsToEnrich(estimate)).toBe(105);
    expect(confirmStart(estimate, 0.02)).toBe(
      [
        'Enrich 105 rows with gpt-4.1-mini?',
        '15 rows unchanged since the last run will be skipped.',
        '5 rows already answered before will be filled from the cache at no cost.',
        'Estimated cost: Fast $0.01–$0.05 · Cheap $0.0062–$0.02 (Fast chosen: at most $0.90).',
        'Budget: $0.02 — below the estimate, so the job will pause when it is spent; raise it in the sidebar to resume.',
      ].join('\n'),
    );
    expect(confirmStart({ ...estimate, priced: false, simulated: true, skippedUnchanged: 0, reused: 0 }, 1)).toMatch(/no known price[\s\S]*Budget: \$1\.00\.\nThe backend is using a simulated model/);
    expect(selectionLine(1, 0)).toBe('1 row selected.');
    expect(selectionLine(20, 2)).toBe('20 rows selected (2 hidden rows left out).');
  });

  it('names the filled cells an output would overwrite, in the confirmation too, and a selection that moved', () => {
    const overwrites = [
      { column: 'Website', filledCells: 370 },
      { column: 'Notes', filledCells: 1 },
    ];
    expect(overwriteWarning(overwrites)).toBe('Website already has 370 filled cells; Notes already has 1 filled cell');
    expect(confirmStart({ ...estimate, overwrites }, 1).split('\n')[1]).toBe('Website already has 370 filled cells; Notes already has 1 filled cell: OK overwrites them with the answers.');
    expect(selectionChanged('21 rows selected.')).toBe('The selection changed since the estimate (now: 21 rows selected). Estimate again, then enrich.');
  });

  it('turns signed digest bytes into hex', () => {
    expect(bytesToHex([0, 15, 16, 127, -128, -1])).toBe('000f107f80ff');
  });

  it('shows both prices of the selection, Fast and Cheap; the alert weighs the chosen one against the budget', () => {
    expect(bothPrices(estimate)).toBe('Fast $0.01–$0.05 · Cheap $0.0062–$0.02');
    // Research runs fast only: one price.
    expect(bothPrices({ ...estimate, maxSearchesPerRow: 3 })).toBe('$0.01–$0.05');
    const cheap = confirmStart({ ...estimate, costHighUsd: 0.5, cheapCostHighUsd: 0.25 }, 0.3, 'cheap');
    expect(cheap).toContain('Estimated cost: Fast $0.01–$0.50 · Cheap $0.0062–$0.25 (Cheap chosen: at most $0.60).');
    expect(cheap).toContain('Cheap: the rows go to the Batch API; results arrive within 24 hours.');
    expect(cheap).toContain('Budget: $0.30.');
    expect(confirmStart({ ...estimate, costHighUsd: 0.5, cheapCostHighUsd: 0.25 }, 0.3)).toContain('Budget: $0.30 — below the estimate');
  });
});
