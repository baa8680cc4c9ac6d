// `rowfill enrich` on a file whose rows repeat: each distinct request is bought once, however many rows wait for it.
import { describe, expect, it } from 'vitest';
import { cliTestContext, modelEnv, OUTPUT_FLAGS, readCsv, rowfill } from '../../helpers/cli-harness.js';

const ctx = cliTestContext();

/** 5 distinct brands, each on 20 consecutive rows. */
function repeatedCsv(): string {
  const brands = ['Patagonia', 'Lego', 'IKEA', 'Nintendo', 'Heineken'];
  return ['Brand,Country', ...Array.from({ length: 100 }, (_, i) => `${brands[Math.floor(i / 20)]},Japan`)].join('\n') + '\n';
}

describe('rowfill enrich with identical rows in flight', () => {
  it.each([{ extra: [] }, { extra: ['--force'] }])('makes one model call per distinct input with 50 workers $extra; the other 95 rows read done (cached)', async ({ extra }) => {
    const ws = ctx.workspace();
    const standIn = await ctx.standIn({ latencyMs: 50 });
    ws.write('brands.csv', repeatedCsv());

    const args = ['enrich', ws.path('brands.csv'), '--input', 'Brand', '--input', 'Country', ...OUTPUT_FLAGS, '--workers', '50', '--budget', '1', '--db', ws.db, ...extra];
    const result = await rowfill(args, modelEnv(standIn));

    expect(result.code).toBe(0);
    expect(standIn.requestLog.filter((e) => e.billed)).toHaveLength(5);
    const rows = readCsv(ws.path('brands.enriched.csv'));
    expect(rows.filter((r) => r.rowfill_status === 'done (cached)')).toHaveLength(95);
    expect(rows.filter((r) => r.rowfill_status === 'done')).toHaveLength(5);
    // Every row of one input carries the one answer bought for it, at no cost to the cached ones.
    for (let k = 0; k < 5; k++) {
      const group = rows.slice(20 * k, 20 * k + 20);
      expect(new Set(group.map((r) => `${r.Category}|${r.Founded}`)).size).toBe(1);
      expect(group.filter((r) => Number(r.rowfill_cost_usd) > 0)).toHaveLength(1);
    }
  });
});
