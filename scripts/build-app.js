// Compiles the CLI, the Cloud Run server and the playground's worker threads into dist/app with esbuild, so nothing runs TypeScript at run time.
// Plain JavaScript on purpose: `npm ci` runs it as the `prepare` script before any TypeScript loader is needed.
import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { lstat, mkdir, readdir, readFile, rename, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** Output names → sources. Worker threads are started by URL (local/sheets/apps-script/ts-worker.ts), so each worker entry is a file of its own. */
export const APP_ENTRIES = {
  cli: 'backend/src/cli/main.ts',
  server: 'backend/src/http/server.ts',
  'addon-worker-entry': 'local/sheets/apps-script/addon-worker-entry.ts',
  'fetch-worker-entry': 'local/sheets/apps-script/fetch-worker-entry.ts',
};

/** Builds older than this, other than the newest few, are removed: a process started on one may still import its chunks. */
const KEEP_OLD_BUILDS_MS = 10 * 60_000;
const KEEP_NEWEST_BUILDS = 3;

const WORKER_URL = /new URL\(\s*(['"])\.\/([\w-]+)\.ts\1\s*,\s*import\.meta\.url\s*\)/g;

/**
 * Sources find files next to themselves (dist/addon, the playground's client/, protos beside node_modules) through
 * `import.meta.url`. In one bundle that URL is the bundle's, so each use is rewritten to the source file's own URL,
 * computed from the bundle's at run time so the checkout may move. A worker started by URL points at its compiled entry.
 * Entry files keep theirs: their `import.meta.url === argv[1]` check must see the file node was started on.
 */
function sourceUrlPlugin(root, outDir) {
  const entryFiles = new Set(Object.values(APP_ENTRIES).map((p) => join(root, p)));
  const workerNames = new Set(Object.keys(APP_ENTRIES));
  return {
    name: 'rowfill-source-urls',
    setup(build) {
      build.onLoad({ filter: /\.m?ts$/ }, async (args) => {
        if (args.path.includes(`${sep}node_modules${sep}`)) return undefined;
        const text = await readFile(args.path, 'utf8');
        if (!text.includes('import.meta.url') || entryFiles.has(args.path)) return { contents: text, loader: 'ts' };
        const bundleUrl = '__rowfillBundleUrl__';
        const rewritten = text
          .replace(WORKER_URL, (_whole, _quote, name) => {
            if (!workerNames.has(name)) throw new Error(`${relative(root, args.path)} starts ${name}.ts by URL; add it to APP_ENTRIES in scripts/build-app.js`);
            return `new URL('./${name}.js', ${bundleUrl})`;
          })
          .replaceAll('import.meta.url', `new URL(${JSON.stringify(relative(outDir, args.path).split(sep).join('/'))}, ${bundleUrl}).href`)
          .replaceAll(bundleUrl, 'import.meta.url');
        return { contents: rewritten, loader: 'ts' };
      });
    },
  };
}

async function compile(root, outDir, names) {
  const { build } = await import('esbuild');
  const result = await build({
    absWorkingDir: root,
    entryPoints: Object.fromEntries(names.map((name) => [name, join(root, APP_ENTRIES[name])])),
    outdir: outDir,
    write: false,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    packages: 'external',
    sourcemap: 'linked',
    chunkNames: 'chunk-[hash]',
    metafile: true,
    logLevel: 'silent',
    plugins: [sourceUrlPlugin(root, outDir)],
  });
  return { files: result.outputFiles.map((f) => ({ name: relative(outDir, f.path), contents: f.contents })), inputs: Object.keys(result.metafile.inputs) };
}

async function writeAll(dir, files) {
  await mkdir(dir, { recursive: true });
  await Promise.all(files.map((f) => writeFile(join(dir, f.name), f.contents)));
}

/** Removes builds nothing can still be running from: all but the newest few, once they are old enough. */
async function pruneBuilds(buildsDir, current) {
  const entries = await readdir(buildsDir).catch(() => []);
  const aged = await Promise.all(entries.map(async (name) => ({ name, mtimeMs: (await stat(join(buildsDir, name)).catch(() => ({ mtimeMs: 0 }))).mtimeMs })));
  aged.sort((a, b) => b.mtimeMs - a.mtimeMs);
  const now = Date.now();
  await Promise.all(
    aged
      .slice(KEEP_NEWEST_BUILDS)
      .filter((b) => b.name !== current && now - b.mtimeMs > KEEP_OLD_BUILDS_MS)
      .map((b) => rm(join(buildsDir, b.name), { recursive: true, force: true })),
  );
}

/**
 * Builds the app: one ES module per entry plus shared chunks, node_modules left external (loaded as they are).
 * Commands import their heavy dependencies lazily, so the chunks split along commands.
 *
 * By default into dist/builds/<content hash>, then dist/app (a symlink) is swapped to it in one rename: test runs of
 * several people in one checkout rebuild at once while others run `bin/rowfill.js`, and none of them may see a
 * half-written or missing build. An unchanged build writes nothing. With `outDir`, a plain folder (the image's build).
 * @param {{ root?: string, outDir?: string, entries?: readonly string[] }} [options] entries: names of APP_ENTRIES (default all).
 * @returns {Promise<{ outDir: string, inputs: string[], changed: boolean }>} inputs: the repository files the build read.
 */
export async function buildApp(options = {}) {
  const root = options.root ?? REPO_ROOT;
  const names = options.entries ?? Object.keys(APP_ENTRIES);
  for (const name of names) if (!(name in APP_ENTRIES)) throw new Error(`unknown entry ${name}; one of ${Object.keys(APP_ENTRIES).join(', ')}`);
  if (options.outDir !== undefined) {
    const outDir = resolve(root, options.outDir);
    const { files, inputs } = await compile(root, outDir, names);
    await rm(outDir, { recursive: true, force: true });
    await writeAll(outDir, files);
    return { outDir, inputs, changed: true };
  }
  const buildsDir = join(root, 'dist/builds');
  const link = join(root, 'dist/app');
  // Every build folder sits at the same depth, so the rewritten source URLs are the same whatever its name.
  const { files, inputs } = await compile(root, join(buildsDir, 'pending'), names);
  const hash = createHash('sha256');
  for (const f of [...files].sort((a, b) => a.name.localeCompare(b.name))) hash.update(f.name).update('\0').update(f.contents);
  const id = hash.digest('hex').slice(0, 16);
  const target = join(buildsDir, id);
  let changed = false;
  if (!existsSync(target)) {
    const tmp = join(buildsDir, `.tmp-${process.pid}-${randomBytes(4).toString('hex')}`);
    await writeAll(tmp, files);
    try {
      await rename(tmp, target);
      changed = true;
    } catch {
      // Another build wrote the same content first.
      await rm(tmp, { recursive: true, force: true });
    }
  }
  const current = await lstat(link).catch(() => undefined);
  if (current && !current.isSymbolicLink()) await rm(link, { recursive: true, force: true });
  const nextLink = join(root, `dist/.app-${process.pid}-${randomBytes(4).toString('hex')}`);
  await symlink(relative(dirname(link), target), nextLink, 'dir');
  await rename(nextLink, link);
  await pruneBuilds(buildsDir, id);
  return { outDir: target, inputs, changed };
}

/** Why `npm ci` must not build here, or undefined when it should. */
async function reasonToSkip() {
  // `prepare` also runs in an image's dependency layers: without dev dependencies, or before the sources are copied in.
  // eslint-disable-next-line no-restricted-properties -- a build script, not the app: npm names the lifecycle step here.
  if (process.env.npm_lifecycle_event !== 'prepare') return undefined;
  try {
    await import('esbuild');
  } catch {
    return 'esbuild is not installed (a production install)';
  }
  if (!Object.values(APP_ENTRIES).every((path) => existsSync(join(REPO_ROOT, path)))) return 'the sources are not here yet';
  return undefined;
}

/** `node scripts/build-app.js [--out-dir DIR] [entry …]` */
function parseArgs(argv) {
  const at = argv.indexOf('--out-dir');
  if (at < 0) return { entries: argv };
  const outDir = argv[at + 1];
  if (outDir === undefined) throw new Error('--out-dir needs a folder');
  return { outDir, entries: [...argv.slice(0, at), ...argv.slice(at + 2)] };
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const started = Date.now();
  const skip = await reasonToSkip();
  if (skip !== undefined) {
    console.log(`rowfill build: skipped, ${skip}; run \`npm run build\` where the sources and dev dependencies are.`);
  } else {
    try {
      const { outDir, entries } = parseArgs(process.argv.slice(2));
      const built = await buildApp({ ...(outDir !== undefined ? { outDir } : {}), ...(entries.length > 0 ? { entries } : {}) });
      const where = relative(process.cwd(), built.outDir) || '.';
      console.log(`rowfill build: ${where} from ${built.inputs.length} files in ${Date.now() - started} ms${built.changed ? '' : ' (unchanged)'}`);
    } catch (error) {
      console.error(`rowfill build failed: ${error instanceof Error ? error.message : String(error)}`);
      process.exitCode = 1;
    }
  }
}
