// What the parent tells an engine-overhead child, and what the child reports back.
export interface OverheadInput {
  readonly csvPath: string;
  readonly workDir: string;
  readonly timeoutMs: number;
}

export interface OverheadResult {
  /** Read CSV → job settled → CSV written. */
  readonly endToEndMs: number;
  /** The parts of it, to see where time goes. */
  readonly intakeMs: number;
  readonly runMs: number;
  readonly writeMs: number;
  readonly rows: number;
  readonly doneRows: number;
  readonly failedRows: number;
  readonly modelCalls: number;
  readonly peakRssBytes: number;
  /** RSS once the code is loaded, before any row: the floor the run's peak stands on. */
  readonly loadedRssBytes: number;
  /** Bytes written to disk during the run (SQLite WAL and checkpoints, the output CSV); null off Linux. */
  readonly diskWriteBytes: number | null;
  /** CPU time of the run in user space and in the kernel (I/O syscalls), ms. */
  readonly cpuUserMs: number;
  readonly cpuSystemMs: number;
}
