// ensureLocalToken on a real file system: created once with 0600, reused, replaced when unreadable or readable by others.
import { chmod, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ensureLocalToken, localTokenPathFor } from '../../../../backend/src/http/auth/index.js';

const posix = process.platform !== 'win32';
let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rowfill-token-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

describe('ensureLocalToken', () => {
  it('lives next to the state file', () => {
    expect(localTokenPathFor('/home/ana/project/.rowfill/rowfill.db')).toBe('/home/ana/project/.rowfill/local-token');
  });

  it('creates a random 256-bit token once, owner-only, in an owner-only directory', async () => {
    const path = join(dir, '.rowfill', 'local-token');
    const token = await ensureLocalToken(path);
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect((await readFile(path, 'utf8')).trim()).toBe(token);
    if (posix) {
      expect((await stat(path)).mode & 0o777).toBe(0o600);
      expect((await stat(join(dir, '.rowfill'))).mode & 0o777).toBe(0o700);
    }
  });

  it('reuses the token on later starts', async () => {
    const path = join(dir, 'local-token');
    const first = await ensureLocalToken(path);
    const { mtimeMs } = await stat(path);
    expect(await ensureLocalToken(path)).toBe(first);
    expect((await stat(path)).mtimeMs).toBe(mtimeMs);
  });

  it('gives concurrent first starts one and the same token', async () => {
    const path = join(dir, 'local-token');
    const tokens = await Promise.all(Array.from({ length: 12 }, () => ensureLocalToken(path)));
    expect(new Set(tokens).size).toBe(1);
    expect((await readFile(path, 'utf8')).trim()).toBe(tokens[0]);
  });

  it.runIf(posix)('replaces a token that others could read, since it may have leaked', async () => {
    const path = join(dir, 'local-token');
    const first = await ensureLocalToken(path);
    await chmod(path, 0o644);
    const second = await ensureLocalToken(path);
    expect(second).not.toBe(first);
    expect((await stat(path)).mode & 0o777).toBe(0o600);
  });

  it('replaces a file that holds no valid token', async () => {
    const path = join(dir, 'local-token');
    await writeFile(path, '', { mode: 0o600 });
    const token = await ensureLocalToken(path);
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect((await readFile(path, 'utf8')).trim()).toBe(token);
  });

  it('refuses a path that is a directory', async () => {
    const path = join(dir, 'local-token');
    await ensureLocalToken(join(path, 'inner'));
    await expect(ensureLocalToken(path)).rejects.toThrow(`ensureLocalToken: ${path} exists but is not a regular file; remove it and start again`);
  });
});
