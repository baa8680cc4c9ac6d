// The local-mode secret: a random token created at first start, kept owner-only (0600) next to the state file, reused after.
import { randomBytes } from 'node:crypto';
import { link, lstat, mkdir, open, readFile, rename, unlink } from 'node:fs/promises';
import { dirname, join } from 'node:path';

const TOKEN = /^[A-Za-z0-9_-]{43}$/;
const GROUP_OR_OTHER = 0o077;
// Windows has no POSIX modes to check; its per-user profile directories stand in for them.
const CHECK_MODE = process.platform !== 'win32';

/** `.rowfill/rowfill.db` → `.rowfill/local-token`. */
export function localTokenPathFor(statePath: string): string {
  return join(dirname(statePath), 'local-token');
}

/** Returns the token at `path`, creating it (0600, in a 0700 directory) if absent, and replacing one others could read. */
export async function ensureLocalToken(path: string): Promise<string> {
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  const current = await readToken(path);
  if (current.kind === 'ok') return current.token;
  const token = randomBytes(32).toString('base64url');
  const temp = `${path}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  const file = await open(temp, 'wx', 0o600);
  try {
    await file.writeFile(`${token}\n`);
    await file.sync();
  } finally {
    await file.close();
  }
  try {
    if (current.kind === 'absent') {
      // link() fails if another process created the file meanwhile: then theirs is the token, not ours.
      const created = await link(temp, path).then(
        () => true,
        (error: NodeJS.ErrnoException) => {
          if (error.code === 'EEXIST') return false;
          throw error;
        },
      );
      return created ? token : ensureLocalToken(path);
    }
    // Unreadable garbage, or readable by others (it may have leaked): a fresh token is the only safe answer.
    await rename(temp, path);
    return token;
  } finally {
    await unlink(temp).catch(() => undefined);
  }
}

type ReadResult = { readonly kind: 'ok'; readonly token: string } | { readonly kind: 'absent' } | { readonly kind: 'replace' };

async function readToken(path: string): Promise<ReadResult> {
  let stats;
  try {
    stats = await lstat(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'absent' };
    throw error;
  }
  if (!stats.isFile()) throw new Error(`ensureLocalToken: ${path} exists but is not a regular file; remove it and start again`);
  if (CHECK_MODE && (stats.mode & GROUP_OR_OTHER) !== 0) return { kind: 'replace' };
  const token = (await readFile(path, 'utf8')).trim();
  return TOKEN.test(token) ? { kind: 'ok', token } : { kind: 'replace' };
}
