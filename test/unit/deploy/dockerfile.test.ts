// backend/Dockerfile, read as instructions per stage: typechecked, production deps only, non-root, the server as its command.
import { describe, expect, it } from 'vitest';
import { readRepoFile } from './deploy-files.js';

interface Stage {
  readonly name: string;
  readonly image: string;
  readonly instructions: ReadonlyArray<{ readonly op: string; readonly args: string }>;
}

function stages(): Stage[] {
  const out: Array<{ name: string; image: string; instructions: Array<{ op: string; args: string }> }> = [];
  const args = new Map<string, string>();
  const lines = readRepoFile('backend/Dockerfile').replace(/\\\n/g, ' ').split('\n');
  for (const raw of lines) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const [op = '', ...rest] = line.split(/\s+/);
    const text = rest.join(' ');
    if (op === 'ARG' && out.length === 0) {
      const [key, value = ''] = text.split('=');
      args.set(key!, value);
    } else if (op === 'FROM') {
      const match = /^(\S+)(?:\s+AS\s+(\S+))?$/i.exec(text)!;
      const image = match[1]!.replace(/^\$\{(\w+)\}$/, (_m, name: string) => args.get(name) ?? name);
      out.push({ name: match[2] ?? String(out.length), image, instructions: [] });
    } else {
      out.at(-1)!.instructions.push({ op: op.toUpperCase(), args: text });
    }
  }
  return out;
}

const all = stages();
const runtime = all.at(-1)!;
const of = (stage: Stage, op: string) => stage.instructions.filter((i) => i.op === op).map((i) => i.args);

describe('backend/Dockerfile', () => {
  it('runs as a non-root user in the final stage', () => {
    const users = of(runtime, 'USER');
    expect(users.length).toBeGreaterThan(0);
    expect(['root', '0', '0:0', 'root:root']).not.toContain(users.at(-1));
  });

  it('ships only production dependencies, installed with npm ci --omit=dev', () => {
    const copies = of(runtime, 'COPY').filter((c) => c.includes('node_modules'));
    expect(copies).toHaveLength(1);
    const from = /--from=(\S+)/.exec(copies[0]!)?.[1];
    const source = all.find((s) => s.name === from)!;
    expect(of(source, 'RUN').some((r) => /\bnpm ci\b.*--omit=dev/.test(r))).toBe(true);
    expect(of(source, 'RUN').some((r) => /\bnpm (ci|install)\b/.test(r) && !r.includes('--omit=dev'))).toBe(false);
    expect(of(runtime, 'RUN').some((r) => /\bnpm (ci|install)\b/.test(r))).toBe(false);
  });

  it('typechecks in a stage the runtime depends on, so BuildKit cannot skip it', () => {
    const check = all.find((s) => of(s, 'RUN').some((r) => r.includes('npm run typecheck')))!;
    expect(of(check, 'RUN').some((r) => /^npm ci\b/.test(r) && !r.includes('--omit=dev'))).toBe(true);
    expect(of(runtime, 'COPY').some((c) => c.includes(`--from=${check.name}`))).toBe(true);
  });

  it('builds and runs on the same Debian release, so the native better-sqlite3 binary fits', () => {
    const releases = new Set(all.map((s) => /-(bookworm|bullseye|trixie)/.exec(s.image)?.[1]));
    expect([...releases]).toEqual(['bookworm']);
    expect(runtime.image).toMatch(/^node:20-\w+-slim$/);
  });

  it('starts the HTTP server through tsx, a production dependency, and exposes 8080', () => {
    expect(JSON.parse(of(runtime, 'CMD')[0]!)).toEqual(['node', '--import', 'tsx', 'backend/src/http/server.ts']);
    const pkg = JSON.parse(readRepoFile('package.json')) as { dependencies: Record<string, string> };
    expect(pkg.dependencies).toHaveProperty('tsx');
    expect(of(runtime, 'EXPOSE')).toEqual(['8080']);
  });

  it('keeps local state, secrets and node_modules out of the build context', () => {
    const ignored = readRepoFile('.dockerignore').split('\n').map((l) => l.trim());
    for (const entry of ['.git', '**/node_modules', '.rowfill', '**/.env', '**/.env.*']) expect(ignored).toContain(entry);
  });
});
