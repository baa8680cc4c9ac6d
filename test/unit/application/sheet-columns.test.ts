// The columns a sheet job creates (outputs, then a research job's sources) and the ones its results are written to.
import { describe, expect, it } from 'vitest';
import { sheetColumns, sinkColumns } from '../../../backend/src/application/sheet-columns.js';
import { jobConfig } from '../../helpers/embedded-harness.js';

describe('sheet columns', () => {
  it('a plain job creates its outputs only, and clears sources an earlier research job left', () => {
    const config = jobConfig();
    expect(sheetColumns(config)).toEqual(['Category', 'Founded', 'Website']);
    expect(sinkColumns(config)).toEqual(['Category', 'Founded', 'Website', 'rowfill_sources']);
  });

  it('a research job creates the sources column after its outputs', () => {
    const config = jobConfig({ research: { enabled: true } });
    expect(sheetColumns(config)).toEqual(['Category', 'Founded', 'Website', 'rowfill_sources']);
    expect(sinkColumns(config)).toEqual(sheetColumns(config));
  });
});
