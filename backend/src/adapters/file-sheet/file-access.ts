// Turns "the file is not there" and "the file cannot be opened" into the adapter's own error codes before any parsing starts.
import { access, constants, stat } from 'node:fs/promises';
import { FileSheetError, reasonOf } from './errors.js';

export async function assertReadableFile(path: string): Promise<void> {
  let isFile: boolean;
  try {
    isFile = (await stat(path)).isFile();
  } catch (error) {
    if (isNodeError(error) && (error.code === 'ENOENT' || error.code === 'ENOTDIR')) {
      throw new FileSheetError('file_not_found', `File not found: ${path}`, { cause: error });
    }
    throw new FileSheetError('unreadable', `Cannot open ${path}: ${reasonOf(error)}`, { cause: error });
  }
  if (!isFile) throw new FileSheetError('unreadable', `Cannot open ${path}: it is a folder, not a file`);
  try {
    await access(path, constants.R_OK);
  } catch (error) {
    throw new FileSheetError('unreadable', `Cannot open ${path}: permission denied`, { cause: error });
  }
}

export function isNodeError(error: unknown): error is NodeJS.ErrnoException {
  return error instanceof Error && typeof (error as NodeJS.ErrnoException).code === 'string';
}
