// Writes a file through a temporary sibling and renames it into place, so a crash never leaves a half-written output.
import { randomUUID } from 'node:crypto';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/**
 * The temporary file lives in the destination's folder because rename is only atomic within one filesystem;
 * it is flushed to disk before the rename so the new name never points at data still in the page cache.
 */
export async function writeFileAtomically<T>(out: string, write: (tempPath: string) => Promise<T>): Promise<T> {
  const folder = dirname(out);
  await mkdir(folder, { recursive: true });
  const tempPath = join(folder, `.${basename(out)}.${randomUUID().slice(0, 8)}.tmp`);
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
