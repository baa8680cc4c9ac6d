// One rowfill process per state file: the embedded default reclaims every lease at start, which is only safe alone.
import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { realTarget } from './file-paths.js';
import { UsageError } from './usage-error.js';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Take `<db>.lock` beside the real file: a symlink or `sub/../` spelling of the same state file must meet the same
 * lock, or two processes would run one job. A lock left by a dead process (a crash) is taken over. Returns the release.
 */
export function acquireProcessLock(spelledPath: string): () => void {
  const dbPath = realTarget(spelledPath);
  const path = `${dbPath}.lock`;
  mkdirSync(dirname(path), { recursive: true });
  for (let tries = 0; tries < 3; tries++) {
    try {
      const fd = openSync(path, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return () => rmSync(path, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const pid = Number(readFileSync(path, 'utf8').trim());
      if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && alive(pid)) {
        throw new UsageError(`Another rowfill process (pid ${pid}) is using ${dbPath}; wait for it or stop it first.`);
      }
      rmSync(path, { force: true });
    }
  }
  throw new UsageError(`Could not lock ${dbPath}.lock`);
}
