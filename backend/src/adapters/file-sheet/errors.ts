// The one error type the file adapter throws for bad input: a code the CLI can branch on and one line a person can act on.

export type FileSheetErrorCode =
  | 'file_not_found'
  | 'unreadable'
  | 'duplicate_header'
  | 'empty_header'
  | 'unknown_column'
  | 'unknown_sheet'
  | 'unsupported_format';

export class FileSheetError extends Error {
  readonly code: FileSheetErrorCode;

  constructor(code: FileSheetErrorCode, message: string, options: { cause?: unknown } = {}) {
    // The message is shown as-is by the CLI, so it must stay on one line whatever a library put in it.
    super(message.replace(/\s*[\r\n]+\s*/g, ' ').trim(), { cause: options.cause });
    this.name = 'FileSheetError';
    this.code = code;
  }
}

/** A library's error reduced to its first line, for the tail of a FileSheetError message. */
export function reasonOf(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return (text.split(/\r?\n/)[0] ?? '').trim() || 'unknown error';
}
