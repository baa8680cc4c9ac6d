// backend/Dockerfile, read as instructions per stage: typechecked, compiled, production deps only, non-root, the compiled server as its command.
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
    // A stage built FROM another stage inherits that stage's release.
    const releases = new Set(all.filter((s) => !all.some((o) => o.name === s.image)).map((s) => /-(bookworm|bullseye|trixie)/.exec(s.image)?.[1]));
    expect([...releases]).toEqual(['bookworm']);
    // Production runs the current LTS.
    expect(runtime.image).toMatch(/^node:24-\w+-slim$/);
  });

  it('starts the HTTP server compiled to JavaScript, with no TypeScript loader in the image, and exposes 8080', () => {
    expect(JSON.parse(of(runtime, 'CMD')[0]!)).toEqual(['node', '--enable-source-maps', 'dist/server/server.js']);
    const pkg = JSON.parse(readRepoFile('package.json')) as { dependencies: Record<string, string>; devDependencies: Record<string, string> };
    expect(pkg.dependencies).not.toHaveProperty('tsx');
    expect(pkg.devDependencies).toHaveProperty('tsx');
    expect(of(runtime, 'EXPOSE')).toEqual(['8080']);
  });

  it('compiles the server in a build stage the runtime copies from, and ships no TypeScript sources', () => {
    const copies = of(runtime, 'COPY');
    const dist = copies.find((c) => c.includes('dist/server'));
    const from = /--from=(\S+)/.exec(dist ?? '')?.[1];
    const build = all.find((s) => s.name === from);
    expect(of(build!, 'RUN').some((r) => r.includes('scripts/build-app.js') && r.includes('--out-dir dist/server') && r.includes('server'))).toBe(true);
    expect(copies.some((c) => /\bbackend\b|\blocal\b|\bbin\b/.test(c))).toBe(false);
  });

  it("copies the build script before every npm ci, whose prepare step runs it", () => {
    for (const stage of all.filter((s) => of(s, 'RUN').some((r) => /\bnpm ci\b/.test(r)))) {
      const ops = stage.instructions;
      const ci = ops.findIndex((i) => i.op === 'RUN' && /\bnpm ci\b/.test(i.args));
      expect(ops.slice(0, ci).some((i) => i.op === 'COPY' && i.args.includes('scripts/build-app.js'))).toBe(true);
    }
  });

  it('keeps local state, secrets and node_modules out of the build context', () => {
    const ignored = readRepoFile('.dockerignore').split('\n').map((l) => l.trim());
    for (const entry of ['.git', '**/node_modules', '.rowfill', '**/.env', '**/.env.*']) expect(ignored).toContain(entry);
  });
});
