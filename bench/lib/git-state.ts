// Which code a run measured: the commit, and whether the backend's sources differed from it (a shared working tree).
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** `abc1234`, or `abc1234 + uncommitted changes in backend/ local/` when those folders differ from it; ROWFILL_BENCH_CODE when set; '' outside git. */
export function codeState(): string {
  // A run from an exported snapshot (no .git) is told what it is.
  if (process.env.ROWFILL_BENCH_CODE) return process.env.ROWFILL_BENCH_CODE;
  const git = (...args: string[]): string => spawnSync('git', args, { cwd: REPO_ROOT, encoding: 'utf8' }).stdout?.trim() ?? '';
  const commit = git('rev-parse', '--short', 'HEAD');
  if (commit === '') return '';
  const dirty = ['backend', 'local'].filter((folder) => git('status', '--porcelain', '--', folder) !== '');
  return dirty.length === 0 ? commit : `${commit} + uncommitted changes in ${dirty.map((f) => `${f}/`).join(' ')}`;
}
