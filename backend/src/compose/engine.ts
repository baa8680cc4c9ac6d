// The one place an Engine is built, from the adapters a deployment's composition picked (cloud, embedded, tests).
import type { EngineDeps } from '../engine/context.js';
import { Engine } from '../engine/engine.js';
import type { EngineOptions } from '../engine/options.js';
import { sinkColumns } from '../application/sheet-columns.js';
import type { SinkResolver } from '../ports/sheet.js';
import type { SpreadsheetGateway } from '../ports/spreadsheet.js';

export type EngineAdapters = EngineDeps;

/** Server-side caps a client cannot raise (ROWFILL_MAX_*). */
export interface ServerLimits {
  readonly maxRowsPerJob?: number;
  readonly maxWorkers?: number;
  readonly maxBudgetUsd?: number;
  /** Rows an auto job may keep in flight (ROWFILL_MAX_IN_FLIGHT). */
  readonly maxInFlight?: number;
}

export function composeEngine(adapters: EngineAdapters, options: EngineOptions = {}): Engine {
  return new Engine(adapters, options);
}

/** The per-job caps the engine and the sheet preflight share. */
export function workerAndBudgetLimits(limits: ServerLimits | undefined): { maxWorkers?: number; maxBudgetUsd?: number; maxInFlight?: number } {
  return {
    ...(limits?.maxWorkers !== undefined ? { maxWorkers: limits.maxWorkers } : {}),
    ...(limits?.maxInFlight !== undefined ? { maxInFlight: limits.maxInFlight } : {}),
    ...(limits?.maxBudgetUsd !== undefined ? { maxBudgetUsd: limits.maxBudgetUsd } : {}),
  };
}

/** An HTTP backend's engine: every job names a budget, and the server's caps hold whatever a client sends. */
export function serverEngineOptions(limits: ServerLimits | undefined, options: EngineOptions = {}): EngineOptions {
  return {
    requireBudget: true,
    limits: workerAndBudgetLimits(limits),
    ...(limits?.maxRowsPerJob !== undefined ? { maxRowsPerJob: limits.maxRowsPerJob } : {}),
    ...options,
  };
}

/** A sheet job's results go back to its spreadsheet through the gateway; other jobs have no sink here. */
export function sheetSinks(gateway: SpreadsheetGateway): SinkResolver {
  return (job) => (job.target.kind === 'sheet' ? gateway.sink({ spreadsheetId: job.target.spreadsheetId, sheetId: job.target.sheetId }, sinkColumns(job.config)) : undefined);
}
