import { describe, expect, it } from 'vitest';
import { parseJobConfig, configHash } from '../../../backend/src/engine/job-config.js';
import { inputHash } from '../../../backend/src/engine/job-plan.js';
import { intakeRows, type SourceRow } from '../../../backend/src/engine/row-intake.js';
import type { RegistryEntry, Store } from '../../../backend/src/ports/store.js';

const config = parseJobConfig({ inputs: ['Brand'], outputs: [{ name: 'Category', instruction: 'x' }], budgetUsd: 1 });
const hash = configHash(config);

function storeWith(entries: RegistryEntry[]): Store {
  return { getRegistry: (_k: string, ids: readonly string[]) => Promise.resolve(new Map(entries.filter((e) => ids.includes(e.rowId)).map((e) => [e.rowId, e]))) } as unknown as Store;
}

async function intake(rows: SourceRow[], entries: RegistryEntry[] = [], force = false) {
  const out = [];
  for await (const batch of intakeRows(rows, { store: storeWith(entries), registryKey: 's', config: { ...config, force }, configHash: hash, maxCellChars: 10, batchSize: 2 })) out.push(...batch);
  return out;
}

const entry = (rowId: string, brand: string): RegistryEntry => ({ sheetKey: 's', rowId, inputHash: inputHash({ Brand: brand }), configHash: hash, outputs: { Category: 'Apparel' }, updatedAt: 0 });

describe('intakeRows', () => {
  it('fails rows with empty inputs or oversized cells alone, as input_invalid', async () => {
    const rows = await intake([
      { rowId: 'a', rowNumber: 2, inputs: { Brand: '  ' } },
      { rowId: 'b', rowNumber: 3, inputs: { Brand: 'x'.repeat(11) } },
      { rowId: 'c', rowNumber: 4, inputs: { Brand: 'Lego' } },
    ]);
    expect(rows.map((r) => [r.rowId, r.status ?? 'queued', r.errorClass])).toEqual([
      ['a', 'failed', 'input_invalid'],
      ['b', 'failed', 'input_invalid'],
      ['c', 'queued', undefined],
    ]);
  });

  it('skips a row unchanged since its last success and carries its outputs', async () => {
    const rows = await intake([{ rowId: 'a', rowNumber: 2, inputs: { Brand: 'Lego' } }], [entry('a', 'Lego')]);
    expect(rows[0]).toMatchObject({ status: 'skipped', outputs: { Category: 'Apparel' } });
  });

  it('re-runs a row whose inputs changed, whose output cell was cleared, or when forced', async () => {
    const changed = await intake([{ rowId: 'a', rowNumber: 2, inputs: { Brand: 'Lego Group' } }], [entry('a', 'Lego')]);
    const cleared = await intake([{ rowId: 'a', rowNumber: 2, inputs: { Brand: 'Lego' }, currentOutputs: { Category: '' } }], [entry('a', 'Lego')]);
    const forced = await intake([{ rowId: 'a', rowNumber: 2, inputs: { Brand: 'Lego' } }], [entry('a', 'Lego')], true);
    expect([changed[0]!.status, cleared[0]!.status, forced[0]!.status]).toEqual([undefined, undefined, undefined]);
  });
});
