// Writes a file through a temporary sibling and renames it into place, so a crash never leaves a half-written output.
import { randomUUID } from 'node:crypto';
import { mkdir, open, readdir, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** A temp file of an older version (no pid in its name) this old is surely abandoned. */
const LEGACY_TEMP_MAX_AGE_MS = 10 * 60_000;

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * A process killed mid-write (SIGKILL, power loss) leaves its temp file behind. Ours are named
 * `.<out>.<pid>.<8 hex>.tmp`, so the next write of the same output removes those whose writer is gone; a temp file
 * of the older `.<out>.<8 hex>.tmp` form goes once it is old enough. Nothing else in the folder is touched.
 */
async function removeStaleTemps(folder: string, name: string): Promise<void> {
  const ours = new RegExp(`^\\.${escapeRegExp(name)}\\.(?:(\\d+)\\.)?[0-9a-f]{8}\\.tmp$`);
  let entries: string[];
  try {
    entries = await readdir(folder);
  } catch {
    return;
  }
  for (const entry of entries) {
    const match = ours.exec(entry);
    if (!match) continue;
    const path = join(folder, entry);
    const pid = match[1] === undefined ? undefined : Number(match[1]);
    if (pid !== undefined) {
      if (pid === process.pid || alive(pid)) continue;
    } else {
      const info = await stat(path).catch(() => undefined);
      if (!info || Date.now() - info.mtimeMs < LEGACY_TEMP_MAX_AGE_MS) continue;
    }
    await rm(path, { force: true });
  }
}

/**
 * The temporary file lives in the destination's folder because rename is only atomic within one filesystem;
 * it is flushed to disk before the rename so the new name never points at data still in the page cache.
 */
export async function writeFileAtomically<T>(out: string, write: (tempPath: string) => Promise<T>): Promise<T> {
  const folder = dirname(out);
  await mkdir(folder, { recursive: true });
  await removeStaleTemps(folder, basename(out));
  const tempPath = join(folder, `.${basename(out)}.${process.pid}.${randomUUID().slice(0, 8)}.tmp`);
  try {
    const result = await write(tempPath);
    const handle = await open(tempPath, 'r+');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(tempPath, out);
    return result;
  } catch (error) {
    await rm(tempPath, { force: true });
    throw error;
  }
}
