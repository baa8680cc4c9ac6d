// What the parent tells a contender child, and what the child reports back.
export type ContenderName = 'rowfill' | 'sequential' | 'chunk-and-wait' | 'unthrottled';

export interface ContenderInput {
  readonly contender: ContenderName;
  /** The fresh stand-in's base URL (127.0.0.1, ending in /v1). */
  readonly baseURL: string;
  readonly csvPath: string;
  /** Rows of the CSV to run (a sample for the slow baselines). */
  readonly rows: number;
  /** Scratch folder: state file, output CSV. */
  readonly workDir: string;
  /** A contender stops starting new work after this long, so the bench stays bounded even if something is wrong. */
  readonly giveUpAfterMs: number;
}

export interface ContenderResult {
  readonly makespanMs: number;
  readonly doneRows: number;
  readonly failedRows: number;
  readonly writeCalls: number;
  readonly peakRssBytes: number;
}
