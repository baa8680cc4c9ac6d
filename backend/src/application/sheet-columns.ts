// The columns a sheet job creates and writes: its outputs, then a research job's sources.
import type { JobConfig } from '../ports/domain.js';
import { SOURCES_COLUMN } from '../engine/research/research-plan.js';

/**
 * The columns a job fills, in order, before rowfill_status: its outputs, then a research job's sources (one URL a
 * line), which the sheet creates and tags like an output so a later job finds it again.
 */
export function sheetColumns(config: JobConfig): string[] {
  return [...config.outputs.map((o) => o.name), ...(config.research?.enabled ? [SOURCES_COLUMN] : [])];
}

/**
 * The columns a job's results are written to: its own, plus the sources column for every job. The sink writes only
 * columns that exist, so a plain job creates none, but where an earlier research job made one, a plain answer clears
 * that row's sources instead of leaving them next to an answer they do not support.
 */
export function sinkColumns(config: JobConfig): string[] {
  return config.research?.enabled ? sheetColumns(config) : [...sheetColumns(config), SOURCES_COLUMN];
}
