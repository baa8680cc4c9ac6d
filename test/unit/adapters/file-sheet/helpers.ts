// Shared test helpers for the file-sheet adapter: a scratch folder per test, row collection and typed-error assertions.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect } from 'vitest';
import { FileSheetError, type FileSheetErrorCode, type Table, type TableRow } from '../../../../backend/src/adapters/file-sheet/index.js';

const folders: string[] = [];

afterEach(async () => {
  await Promise.all(folders.splice(0).map((folder) => rm(folder, { recursive: true, force: true })));
});

/** A fresh folder, removed after the test. */
export async function scratch(): Promise<string> {
  const folder = await mkdtemp(join(tmpdir(), 'rowfill-file-sheet-'));
  folders.push(folder);
  return folder;
}

export async function allRows(table: Table): Promise<TableRow[]> {
  const rows: TableRow[] = [];
  for await (const row of table.rows()) rows.push(row);
  return rows;
}

export async function expectFileSheetError(work: Promise<unknown>, code: FileSheetErrorCode, message?: string | RegExp): Promise<FileSheetError> {
  const error: unknown = await work.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(FileSheetError);
  const typed = error as FileSheetError;
  expect(typed.code).toBe(code);
  expect(typed.message).not.toMatch(/[\r\n]/);
  if (typeof message === 'string') expect(typed.message).toBe(message);
  else if (message) expect(typed.message).toMatch(message);
  return typed;
}
