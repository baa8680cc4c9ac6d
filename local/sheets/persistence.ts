// Saves and loads every spreadsheet of the stand-in as one JSON file, written atomically so a crash never leaves half a file.
import { randomBytes } from 'node:crypto';
import { readFile, rename, writeFile } from 'node:fs/promises';
import type { WorkbooksState } from './workbooks.js';

export async function saveState(path: string, state: WorkbooksState): Promise<void> {
  const temp = `${path}.${randomBytes(6).toString('hex')}.tmp`;
  await writeFile(temp, JSON.stringify(state), 'utf8');
  await rename(temp, path);
}

export async function loadState(path: string): Promise<WorkbooksState> {
  const text = await readFile(path, 'utf8');
  const parsed = JSON.parse(text) as unknown;
  if (typeof parsed !== 'object' || parsed === null || (parsed as { version?: unknown }).version !== 1) {
    throw new Error(`SheetsStandIn: ${path} is not a sheets stand-in state file (version 1)`);
  }
  return parsed as WorkbooksState;
}
