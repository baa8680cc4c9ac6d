// No TypeScript loader at run time: npm ci builds dist/app, the CLI runs it, and nothing the app ships imports tsx.
import { readdirSync, readFileSync, realpathSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readRepoFile, ROOT } from './deploy-files.js';

interface PackageJson {
  readonly scripts: Record<string, string>;
  readonly dependencies: Record<string, string>;
  readonly devDependencies: Record<string, string>;
}

const pkg = JSON.parse(readRepoFile('package.json')) as PackageJson;

function sourceFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && /\.(ts|js|mjs)$/.test(e.name))
    .map((e) => join(e.parentPath, e.name));
}

const importsTsx = (text: string) => /from\s+['"]tsx(\/[^'"]*)?['"]|import\(\s*['"]tsx|--import['", ]+tsx/.test(text);

describe('compiled JavaScript at run time', () => {
  it('builds on npm ci (prepare) and on npm run build, with tsx only a dev dependency', () => {
    expect(pkg.scripts.prepare).toBe('node scripts/build-app.js');
    expect(pkg.scripts.build).toBe('node scripts/build-app.js');
    expect(pkg.dependencies).not.toHaveProperty('tsx');
    expect(pkg.devDependencies).toHaveProperty('tsx');
    expect(pkg.devDependencies).toHaveProperty('esbuild');
  });

  it('starts the CLI from dist/app, with no TypeScript loader', () => {
    const bin = readRepoFile('bin/rowfill.js');
    expect(bin).toContain("'../dist/app/cli.js'");
    expect(importsTsx(bin)).toBe(false);
    expect(pkg.scripts.start).toBe('node bin/rowfill.js playground');
  });

  it('ships no backend source that imports tsx', () => {
    const offenders = sourceFiles('backend/src').filter((file) => importsTsx(readFileSync(file, 'utf8')));
    expect(offenders).toEqual([]);
  });

  it('has a current build whose CLI and server import no tsx and whose workers are compiled files', () => {
    // test/setup/build-app.ts built it before this run.
    const dir = realpathSync(join(ROOT, 'dist/app'));
    const files = readdirSync(dir).filter((f) => f.endsWith('.js'));
    expect(files).toEqual(expect.arrayContaining(['cli.js', 'server.js', 'addon-worker-entry.js', 'fetch-worker-entry.js']));
    for (const file of files) {
      const text = readFileSync(join(dir, file), 'utf8');
      expect(importsTsx(text), file).toBe(false);
      expect(text, file).not.toMatch(/new URL\(\s*["']\.\/[\w-]+\.ts["']\s*,\s*import\.meta\.url\)/);
    }
  });
});
