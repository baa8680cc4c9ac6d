import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { neutralizeFormula, openFileSource, peekRows } from '../../../backend/src/cli/file-job.js';
import { ALL_ROWS } from '../../../backend/src/cli/row-selection.js';
import type { SourceRow } from '../../../backend/src/engine/row-intake.js';

describe('neutralizeFormula', () => {
  it('defuses model text that a spreadsheet app would run as a formula', () => {
    expect(neutralizeFormula('=HYPERLINK("http://evil","x")')).toBe('\'=HYPERLINK("http://evil","x")');
    expect(neutralizeFormula('+1')).toBe("'+1");
    expect(neutralizeFormula('@SUM(A1)')).toBe("'@SUM(A1)");
  });

  it('leaves ordinary text, numbers and empty cells alone', () => {
    expect(neutralizeFormula('Apparel')).toBe('Apparel');
    expect(neutralizeFormula(-3)).toBe(-3);
    expect(neutralizeFormula(null)).toBeNull();
  });
});

describe('peekRows', () => {
  it('reads the file once for both the empty-selection check and the job', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rowfill-peek-'));
    try {
      const path = join(dir, 'in.csv');
      writeFileSync(path, 'Brand,Country\nAcme,FR\n,\nGlobex,US\nInitech,DE\n');
      const source = await openFileSource(path, ['Brand'], ['Category']);
      let passes = 0;
      async function* counted(): AsyncGenerator<SourceRow> {
        passes++;
        yield* source.rows(ALL_ROWS, undefined);
      }
      const selected = await peekRows(counted());
      expect(selected.first?.inputs).toEqual({ Brand: 'Acme' });
      const all: SourceRow[] = [];
      for await (const row of selected.rows) all.push(row);
      expect(all.map((r) => [r.rowNumber, r.inputs.Brand])).toEqual([[2, 'Acme'], [4, 'Globex'], [5, 'Initech']]);
      expect(passes).toBe(1);
      await selected.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('says when the selection is empty', async () => {
    const selected = await peekRows((async function* (): AsyncGenerator<SourceRow> {})());
    expect(selected.first).toBeUndefined();
    const all: SourceRow[] = [];
    for await (const row of selected.rows) all.push(row);
    expect(all).toEqual([]);
  });
});
