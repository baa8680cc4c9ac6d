// What the stand-in answers for a row, as the CLI writes it into a CSV cell, so tests can check exact outputs.
import type { OutputSpec } from '../../backend/src/ports/domain.js';
import { expectedOutputs } from './embedded-harness.js';
import { OUTPUT_SPECS } from './cli-harness.js';

/** The cell text of each output column for a row with these inputs (in input-column order). */
export function expectedCells(inputs: Readonly<Record<string, string>>, specs: readonly OutputSpec[] = OUTPUT_SPECS): Record<string, string> {
  const outputs = expectedOutputs({ outputs: specs }, inputs);
  const cells: Record<string, string> = {};
  for (const spec of specs) {
    const value = outputs[spec.name];
    cells[spec.name] = value === null || value === undefined ? '' : String(value);
  }
  return cells;
}
