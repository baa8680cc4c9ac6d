// The files a command touches, checked before anything is read or spent: real identities, writable folders, real state files.
import { closeSync, existsSync, mkdtempSync, openSync, readSync, realpathSync, rmdirSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { defaultOutPath } from '../adapters/file-sheet/out-path.js';
import { UsageError } from './usage-error.js';

/** SQLite's file header: the first 16 bytes of every database file. */
const SQLITE_HEADER = 'SQLite format 3\0';

function errnoOf(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException | undefined)?.code;
}

function reasonOf(error: unknown): string {
  const code = errnoOf(error);
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EROFS') return 'the file system is read-only';
  if (code === 'ENOSPC') return 'the disk is full';
  if (code === 'ENOENT') return 'that folder cannot hold files';
  return (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? 'unknown error';
}

/** The nearest folder or file on the way up from `path` that exists (the root always does). */
function nearestExisting(path: string): string {
  let current = path;
  while (!existsSync(current) && dirname(current) !== current) current = dirname(current);
  return current;
}

/**
 * The file `path` names once `..`, symlinks and the working folder are resolved, whether or not it exists yet, so two
 * spellings of one file (`./sub/../a.csv`, a symlink) compare equal.
 */
export function realTarget(path: string): string {
  const absolute = resolve(path);
  const existing = nearestExisting(absolute);
  let real: string;
  try {
    real = realpathSync(existing);
  } catch {
    return absolute;
  }
  return existing === absolute ? real : join(real, absolute.slice(existing.length));
}

/** Nothing in the way of a file at `path`: it is not a folder and no file sits where a folder must. Returns the nearest existing folder. */
export function assertFileCanExist(flag: string, path: string): string {
  const target = resolve(path);
  if (existsSync(target) && statSync(target).isDirectory()) throw new UsageError(`${flag} ${path} is a folder; name a file in it`);
  const folder = nearestExisting(dirname(target));
  if (!statSync(folder).isDirectory()) throw new UsageError(`${flag} ${path} cannot be written: ${folder} is a file, not a folder`);
  return folder;
}

/**
 * A file can be created or replaced at `path`: it is not a folder, the folders above it are folders, and the nearest
 * existing one accepts a new entry (tried for real, since root ignores permission bits and /proc ignores everything).
 */
export function assertWritableFile(flag: string, path: string): void {
  const target = resolve(path);
  const folder = assertFileCanExist(flag, path);
  try {
    if (folder === dirname(target)) {
      const probe = join(folder, `.rowfill-probe-${process.pid}-${Date.now()}`);
      closeSync(openSync(probe, 'wx'));
      rmSync(probe, { force: true });
    } else {
      rmdirSync(mkdtempSync(join(folder, '.rowfill-probe-')));
    }
  } catch (error) {
    throw new UsageError(`${flag} ${path} cannot be written: ${reasonOf(error)}`);
  }
}

/**
 * `path` is a state file (SQLite) or can become one. Opening any other file as a database would rewrite it, so a
 * file that does not start with SQLite's header is refused untouched; an empty file is what SQLite itself creates.
 */
export function assertStateFile(path: string): void {
  if (!existsSync(path)) {
    assertWritableFile('--db', path);
    return;
  }
  const stat = statSync(path);
  if (stat.isDirectory()) throw new UsageError(`--db ${path} is a folder; name the state file in it, e.g. ${join(path, 'rowfill.db')}`);
  if (stat.size === 0) return;
  const header = Buffer.alloc(SQLITE_HEADER.length);
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (error) {
    throw new UsageError(`--db ${path} cannot be read: ${reasonOf(error)}`);
  }
  try {
    readSync(fd, header, 0, header.length, 0);
  } finally {
    closeSync(fd);
  }
  if (header.toString('latin1') !== SQLITE_HEADER) {
    throw new UsageError(`--db ${path} is not a rowfill state file (not a SQLite database); it was left untouched. Name another --db.`);
  }
}

/** The input, the enriched copy and the state file are three different files, however they are spelled. */
export function assertDistinctFiles(files: { readonly input: string; readonly out: string; readonly db: string }, spelled: { readonly out: string; readonly db: string }): void {
  const input = realTarget(files.input);
  const out = realTarget(files.out);
  const db = realTarget(files.db);
  if (out === input) throw new UsageError(`--out ${spelled.out} is the input file; the enriched copy needs its own name (without --out it is ${basename(defaultOutPath(files.input))})`);
  if (out === db) throw new UsageError(`--out ${spelled.out} is also the --db state file; give them different names`);
  if (db === input) throw new UsageError(`--db ${spelled.db} is the input file; the state file needs its own name (the default is .rowfill/rowfill.db)`);
}

/**
 * What a command leaves behind if it is refused on a fresh state file: the file, its WAL companions and the folders
 * created for it. `discard` removes exactly those, so a refused first run leaves nothing on disk.
 */
export function freshStateFile(path: string): { readonly fresh: boolean; discard(): void } {
  const fresh = !existsSync(path);
  const createdFolders: string[] = [];
  for (let folder = dirname(path); !existsSync(folder) && dirname(folder) !== folder; folder = dirname(folder)) createdFolders.push(folder);
  return {
    fresh,
    discard() {
      if (!fresh) return;
      for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(`${path}${suffix}`, { force: true });
      for (const folder of createdFolders) {
        try {
          rmdirSync(folder);
        } catch {
          return; // not empty: something else lives there now
        }
      }
    },
  };
}
