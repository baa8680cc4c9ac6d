// The CLI's file checks: one identity per file however it is spelled, and a refused first run leaves nothing behind.
import { existsSync, mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { assertStateFile, freshStateFile, realTarget } from '../../../backend/src/cli/file-paths.js';

const root = realpathSync(mkdtempSync(join(tmpdir(), 'rowfill-paths-')));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('realTarget', () => {
  it('gives one path for a file reached through .., a symlinked folder or a symlink, existing or not', () => {
    mkdirSync(join(root, 'real'));
    mkdirSync(join(root, 'sub'));
    symlinkSync(join(root, 'real'), join(root, 'alias'));
    writeFileSync(join(root, 'real', 'a.csv'), 'x\n');
    symlinkSync(join(root, 'real', 'a.csv'), join(root, 'link.csv'));
    const a = join(root, 'real', 'a.csv');
    expect(realTarget(join(root, 'sub', '..', 'real', 'a.csv'))).toBe(a);
    expect(realTarget(join(root, 'alias', 'a.csv'))).toBe(a);
    expect(realTarget(join(root, 'link.csv'))).toBe(a);
    expect(realTarget(join(root, 'alias', 'new', 'b.db'))).toBe(join(root, 'real', 'new', 'b.db'));
  });
});

describe('assertStateFile', () => {
  it('accepts a missing or empty file and refuses one that is not SQLite', () => {
    expect(() => assertStateFile(join(root, 'state', 'new.db'))).not.toThrow();
    writeFileSync(join(root, 'empty.db'), '');
    expect(() => assertStateFile(join(root, 'empty.db'))).not.toThrow();
    writeFileSync(join(root, 'text.db'), 'Brand\nLego\n');
    expect(() => assertStateFile(join(root, 'text.db'))).toThrow(/is not a rowfill state file \(not a SQLite database\)/);
    expect(existsSync(join(root, 'state'))).toBe(false);
  });
});

describe('freshStateFile', () => {
  it('removes the state file, its companions and only the folders made for it', () => {
    mkdirSync(join(root, 'keep'));
    const path = join(root, 'keep', 'made', 'deeper', 'rowfill.db');
    const state = freshStateFile(path);
    mkdirSync(join(root, 'keep', 'made', 'deeper'), { recursive: true });
    for (const suffix of ['', '-wal', '-shm']) writeFileSync(`${path}${suffix}`, 'x');
    state.discard();
    expect(existsSync(join(root, 'keep', 'made'))).toBe(false);
    expect(existsSync(join(root, 'keep'))).toBe(true);
  });

  it('leaves an existing state file alone', () => {
    const path = join(root, 'existing.db');
    writeFileSync(path, '');
    freshStateFile(path).discard();
    expect(existsSync(path)).toBe(true);
  });
});
