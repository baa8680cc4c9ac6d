// Reads the bench CSV the way the CLI does (openFileSource), for contenders that want the rows in memory.
import { openFileSource } from '../../backend/src/cli/file-job.js';
import { ALL_ROWS } from '../../backend/src/cli/row-selection.js';
import type { SourceRow } from '../../backend/src/engine/engine.js';
import { INPUTS, OUTPUTS } from './job-config.js';

export async function readSourceRows(csvPath: string, limit: number): Promise<SourceRow[]> {
  const source = await openFileSource(csvPath, INPUTS, OUTPUTS.map((o) => o.name));
  const rows: SourceRow[] = [];
  for await (const row of source.rows(ALL_ROWS, limit)) rows.push(row);
  return rows;
}
