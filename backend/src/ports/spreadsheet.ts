// The spreadsheet-gateway port (SpreadsheetGateway): what the backend needs from Google Sheets (or its local stand-in) besides writing results.
// Not sheet.ts: that one is the ResultSink, the write-back of finished rows that file targets have too; a gateway makes one with sink().
import type { Outputs } from './domain.js';
import type { ResultSink } from './sheet.js';

/** A tab of a spreadsheet. `sheetId` is the tab's numeric id (gid), stable across renames. */
export interface SheetRef {
  readonly spreadsheetId: string;
  readonly sheetId: number;
}

export interface PrepareRowsRequest {
  readonly ref: SheetRef;
  /** Selected ranges in A1 notation on this tab, e.g. `A2:D50`, `7:9`, `B12`; any order, may overlap. */
  readonly ranges: readonly string[];
  /** 1-based row holding the column names; rows at or above it are never data. */
  readonly headerRow: number;
  readonly inputs: readonly string[];
  /** Output column names: created (appended after the last used column) when missing. */
  readonly outputs: readonly string[];
  /** Hard cap on rows; more selected rows is an error. */
  readonly maxRows: number;
  /** A job start's proof of edit access: prepareRows looks it up in the same read as its columns (see PrepareCheck). */
  readonly proofNonce?: string;
}

/** What prepareRows learned from its read, for its caller to admit the start or refuse it before anything is written. */
export interface PrepareCheck {
  /** Output columns Rowfill did not create that hold data in the selected rows. */
  readonly overwrites: readonly ColumnOverwrite[];
  /** True when the request's `proofNonce` matched a `rowfill.proof` entry of the spreadsheet. */
  readonly proofMatched: boolean;
}

/** Throws to refuse; the error reaches prepareRows' caller unchanged. */
export type AdmitPreparation = (check: PrepareCheck) => Promise<void>;

/** One selected row, anchored by its `rowfill_id` (assigned now when it had none). */
export interface PreparedRow {
  readonly rowId: string;
  readonly rowNumber: number;
  readonly inputs: Readonly<Record<string, string>>;
  readonly currentOutputs: Readonly<Record<string, string>>;
}

/** An output column that already exists in the sheet and that Rowfill did not create: writing it replaces the user's data. */
export interface ColumnOverwrite {
  readonly column: string;
  /** Non-empty cells of that column in the selected rows. */
  readonly filledCells: number;
}

export interface PreparedSheet {
  readonly spreadsheetTitle: string;
  readonly sheetTitle: string;
  readonly rows: readonly PreparedRow[];
  /** Output columns found by header (not by Rowfill's tag) that hold data in the selected rows; absent means none. */
  readonly overwrites?: readonly ColumnOverwrite[];
}

export interface SpreadsheetGateway {
  /** The account the gateway reads and writes sheets as: the address users share their sheets with. */
  readonly serviceAccount: string;
  /**
   * Prove the service account can open the spreadsheet; returns its title. Throws SheetAccessError
   * (`not_shared` | `not_found`) with a message that says which account to share the sheet with.
   */
  checkAccess(spreadsheetId: string): Promise<{ readonly title: string }>;
  /**
   * Proof of edit access (DESIGN §6): true when the spreadsheet's document-level developer metadata `rowfill.proof`
   * holds sha256(nonce); the metadata is deleted either way, so a proof is used once.
   */
  consumeProof(spreadsheetId: string, nonce: string): Promise<boolean>;
  /**
   * Read the selected rows with one batched read, give every row lacking one a `rowfill_id` (in a hidden column tagged
   * with developer metadata, created when missing), create missing output and status columns, and mark the rows
   * `queued` — all in one batched write. `admit`, when given, runs between the read and the first write: when it
   * throws, nothing is written, except that proof entries that did not match are deleted (a proof is used once). A
   * matched proof is deleted in the first write.
   */
  prepareRows(request: PrepareRowsRequest, admit?: AdmitPreparation): Promise<PreparedSheet>;
  /**
   * The same read as prepareRows without writing anything (for estimates): rows lacking a `rowfill_id` get the
   * placeholder id `new:<rowNumber>`, and missing output columns read as empty.
   */
  readRows(request: PrepareRowsRequest): Promise<PreparedSheet>;
  /** Where a job's finished rows are written: ids resolved to current row numbers at flush time. */
  sink(ref: SheetRef, outputs: readonly string[]): ResultSink;
}

/** Finished rows as a sink writes them. */
export interface RowWrite {
  readonly rowId: string;
  readonly outputs: Outputs | null;
  readonly status: string;
}

export type SheetAccessCode = 'not_shared' | 'not_found' | 'invalid_range' | 'too_many_rows' | 'unknown_column' | 'quota';

export class SheetAccessError extends Error {
  constructor(
    readonly code: SheetAccessCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'SheetAccessError';
  }
}
