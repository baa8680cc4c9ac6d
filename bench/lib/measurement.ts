// One contender's result in one scenario, as raw numbers: the table and the JSON copy are both made from this.
export interface Measurement {
  readonly scenario: string;
  readonly contender: string;
  /** Rows the result speaks for (the scenario's size). */
  readonly rows: number;
  /** Rows actually run; fewer than `rows` means the makespan is extrapolated linearly. */
  readonly measuredRows: number;
  /** Measured on `measuredRows`. */
  readonly measuredMakespanMs: number;
  /** For `rows`: the measured makespan, or extrapolated from it by rows answered (sampled, or some rows failed). */
  readonly makespanMs: number;
  /** Physical lower bound for `rows`; null when there is none (no model latency, no limits). */
  readonly boundMs: number | null;
  /** Chat completion calls and 429 answers, as measured on `measuredRows`. */
  readonly modelCalls: number;
  readonly rateLimited: number;
  /** Sheet/file write calls, as measured on `measuredRows`. */
  readonly writeCalls: number;
  readonly peakRssBytes: number;
  /** Rows that ended without an answer (retries exhausted, errors). */
  readonly failedRows: number;
  readonly notes: readonly string[];
}

/** A case that was not run, with the reason printed in its place. */
export interface Skipped {
  readonly scenario: string;
  readonly contender: string;
  readonly rows: number;
  readonly skipped: string;
}

export type ResultRow = Measurement | Skipped;

export function isSkipped(row: ResultRow): row is Skipped {
  return 'skipped' in row;
}

export function efficiency(m: Measurement): number | null {
  return m.boundMs === null || m.makespanMs <= 0 ? null : m.boundMs / m.makespanMs;
}

export function rowsPerSecond(m: Measurement): number {
  return m.measuredMakespanMs > 0 ? m.measuredRows / (m.measuredMakespanMs / 1000) : 0;
}
