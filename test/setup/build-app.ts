// Vitest globalSetup: rebuilds dist/app before any test runs, so suites that spawn bin/rowfill.js never test a stale build.
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join, resolve } from 'node:path';

const REPO_ROOT = resolve(import.meta.dirname, '../..');

/**
 * The same build `npm ci` runs (scripts/build-app.js, well under a second). It writes nothing when the sources are
 * unchanged and swaps dist/app in one rename, so parallel runs in one checkout never see a half-written build.
 *
 * When it fails (a syntax error in a file being edited), CI stops here. Elsewhere the run goes on without a build, as
 * it would have under tsx: suites that spawn the CLI fail saying it is not built, the others run; never a stale build.
 */
export default function setup(): void {
  try {
    execFileSync(process.execPath, ['scripts/build-app.js'], { cwd: REPO_ROOT, stdio: ['ignore', 'ignore', 'pipe'], timeout: 120_000 });
  } catch (error) {
    const stderr = (error as { stderr?: Buffer }).stderr?.toString().trim();
    const message = `Building dist/app for the tests failed: ${stderr || (error instanceof Error ? error.message : String(error))}`;
    if (process.env.CI) throw new Error(message);
    rmSync(join(REPO_ROOT, 'dist/app'), { force: true, recursive: true });
    process.stderr.write(`\n*** ${message}\n*** Suites that run bin/rowfill.js will fail until the sources build again.\n\n`);
  }
}
