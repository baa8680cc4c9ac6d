import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { openTable, writeEnrichedTable, type AppendedValue } from '../../../../backend/src/adapters/file-sheet/index.js';
import { scratch } from './helpers.js';

const ROWS = 200_000;

async function writeLargeCsv(path: string): Promise<void> {
  const out = createWriteStream(path);
  out.write('Brand,Website,Note\r\n');
  for (let i = 0; i < ROWS; i += 1) {
    // Every 1,000th row spans two lines, so record numbers and line numbers part ways as in real exports.
    const note = i % 1000 === 0 ? `"multi\r\nline ${i}"` : `"quoted, ${i}"`;
    if (!out.write(`Brand ${i},https://example${i}.com,${note}\r\n`)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}

describe('large CSV files', () => {
  it('streams 200,000 rows through read and write in batches, keeping every row', async () => {
    const folder = await scratch();
    const source = join(folder, 'large.csv');
    const out = join(folder, 'large.enriched.csv');
    await writeLargeCsv(source);

    let read = 0;
    let lastRowNumber = 0;
    for await (const row of (await openTable(source)).rows()) {
      read += 1;
      lastRowNumber = row.rowNumber;
    }
    expect(read).toBe(ROWS);
    expect(lastRowNumber).toBe(ROWS + 1);

    let largestBatch = 0;
    const result = await writeEnrichedTable({
      source,
      out,
      appendHeaders: ['Category'],
      lookup: (rowNumbers) => {
        largestBatch = Math.max(largestBatch, rowNumbers.length);
        return Promise.resolve(new Map<number, readonly AppendedValue[]>(rowNumbers.filter((n) => n % 2 === 0).map((n) => [n, [`cat ${n}`]])));
      },
    });
    expect(result.rows).toBe(ROWS);
    expect(result.filled).toBe(ROWS / 2);
    expect(largestBatch).toBeLessThanOrEqual(1000);

    const enriched = await openTable(out);
    expect(enriched.headers).toEqual(['Brand', 'Website', 'Note', 'Category']);
    let written = 0;
    let sample: readonly string[] = [];
    for await (const row of enriched.rows()) {
      written += 1;
      if (row.rowNumber === 1002) sample = row.values;
    }
    expect(written).toBe(ROWS);
    expect(sample).toEqual(['Brand 1000', 'https://example1000.com', 'multi\r\nline 1000', 'cat 1002']);
  }, 30_000);
});
