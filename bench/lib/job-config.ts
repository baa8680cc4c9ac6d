// The one job every contender runs: three input columns, two output columns, gpt-4.1-mini.
import { parseJobConfig } from '../../backend/src/engine/job-config.js';
import type { JobConfig } from '../../backend/src/ports/domain.js';

export const INPUTS = ['Brand', 'Website', 'Country'] as const;

export const OUTPUTS = [
  { name: 'Category', instruction: 'Main product category of the company' },
  { name: 'Founded', instruction: 'Year the company was founded', type: 'number' },
] as const;

export const MODEL = 'gpt-4.1-mini';

/** Parsed as the CLI parses a job's flags: the engine takes a parsed config. */
export function benchJobConfig(patch: { workers: number | 'auto'; budgetUsd: number; rpm?: number; tpm?: number }): JobConfig {
  return parseJobConfig({ inputs: [...INPUTS], outputs: OUTPUTS.map((o) => ({ ...o })), model: MODEL, ...patch });
}
