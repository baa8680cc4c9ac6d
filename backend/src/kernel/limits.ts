// The caps every layer shares: a job config's server-side caps, its fixed field caps, and the rows a job may hold.

/** Caps a caller cannot raise; a server may lower them (ROWFILL_MAX_WORKERS, ROWFILL_MAX_BUDGET_USD). */
export interface ConfigLimits {
  readonly maxWorkers: number;
  /** Rows an auto job (`workers: 'auto'`) may keep in flight, sized by its rate limits (ROWFILL_MAX_IN_FLIGHT). */
  readonly maxInFlight: number;
  readonly maxOutputs: number;
  readonly maxInputs: number;
  readonly maxInstructionChars: number;
  readonly maxBudgetUsd: number;
  readonly maxOutputTokens: number;
}

export const DEFAULT_LIMITS: ConfigLimits = {
  maxWorkers: 50,
  maxInFlight: 500,
  maxOutputs: 30,
  maxInputs: 50,
  maxInstructionChars: 2000,
  maxBudgetUsd: 10_000,
  maxOutputTokens: 16_384,
};

/** Caps of a job's fields that no server changes: the engine's config schema, the HTTP API and the sidebar check these. */
export const FIELD_LIMITS = {
  minWorkers: 1,
  /** A column name (input or output). */
  maxNameChars: 200,
  /** The answers an enum output may list. */
  maxOptions: 100,
  /** Research mode: web searches a row may make. */
  minSearches: 1,
  maxSearches: 8,
  /** Research mode: pages a row may read. */
  minPages: 0,
  maxPages: 4,
  /** A sheet job's header row. */
  maxHeaderRow: 10_000,
} as const;

/**
 * Rows one job may hold in the engine (EngineOptions.maxRowsPerJob), and the highest ROWFILL_MAX_ROWS_PER_JOB a server
 * may set. A file job's rows come from one CSV or XLSX sheet, and an XLSX sheet holds at most 1,048,576 rows.
 */
export const MAX_ROWS_PER_JOB = 1_000_000;

/**
 * Rows one Google Sheets job may hold unless the server sets ROWFILL_MAX_ROWS_PER_JOB: a spreadsheet holds at most
 * 10 million cells, and 100,000 rows of the widest job (50 inputs, 30 outputs, 5 Rowfill columns) are 8.5 million.
 */
export const MAX_ROWS_PER_SHEET_JOB = 100_000;
