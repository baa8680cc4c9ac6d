// `rowfill playground` (what `npm start` runs) as a real process: it prints the page's URL, serves the page and the
// sidebar, keeps the sidebar's settings across a restart, and stops cleanly on Ctrl-C.
import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { cliTestContext, spawnRowfill, waitUntil, within } from '../../helpers/cli-harness.js';

const ctx = cliTestContext();
const URL_LINE = /Rowfill playground: (http:\/\/127\.0\.0\.1:(\d+))/;

async function startPlayground(dir: string, port: string) {
  const run = spawnRowfill(['playground', '--port', port, '--dir', 'state'], { cwd: dir, env: {} });
  ctx.track(run.child);
  await waitUntil(() => run.stderr().includes('Press Ctrl-C') || run.child.exitCode !== null, 'the playground to be ready', 60_000);
  const match = URL_LINE.exec(run.stdout());
  if (!match?.[1]) throw new Error(`no URL; stderr: ${run.stderr()}`);
  return { run, url: match[1] };
}

async function rpc<T>(url: string, name: string, ...args: unknown[]): Promise<T> {
  const response = await fetch(`${url}/rpc/${name}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(args) });
  return ((await response.json()) as { value: T }).value;
}

describe('rowfill playground', () => {
  it('prints its URL and the simulated model, serves the page, keeps sidebar settings across a restart, and exits 0 on Ctrl-C', async () => {
    const ws = ctx.workspace();
    const first = await startPlayground(ws.dir, '0');
    expect(first.run.stderr()).toContain('simulated model');
    expect(await (await fetch(first.url)).text()).toContain('Rowfill playground');
    expect(await (await fetch(`${first.url}/sidebar`)).text()).toContain('id="settings-form"');
    const settings = { inputs: ['Brand'], outputs: [{ name: 'Category', instruction: 'Main product category', type: 'text', options: [] }], model: 'gpt-4.1-mini', workers: 8, budgetUsd: 0.5, headerRow: 1 };
    expect(await rpc<{ ok: boolean }>(first.url, 'saveSettings', settings)).toMatchObject({ ok: true });
    first.run.child.kill('SIGINT');
    expect(await within(first.run.exited, 20_000, 'exit after Ctrl-C')).toBe(0);

    const second = await startPlayground(ws.dir, '0');
    const state = await rpc<{ saved: boolean; settings: { inputs: string[]; workers: number } }>(second.url, 'getSidebarState');
    expect(state).toMatchObject({ saved: true, settings: { inputs: ['Brand'], workers: 8 } });
    second.run.child.kill('SIGINT');
    expect(await within(second.run.exited, 20_000, 'exit after Ctrl-C')).toBe(0);
  });

  it('says which port is taken when --port names a busy one', async () => {
    const ws = ctx.workspace();
    const busy = createServer();
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
    const port = (busy.address() as { port: number }).port;
    try {
      const run = spawnRowfill(['playground', '--port', String(port), '--dir', 'state'], { cwd: ws.dir, env: {} });
      ctx.track(run.child);
      expect(await within(run.exited, 60_000, 'exit')).toBe(2);
      expect(run.stderr()).toContain(`Port ${port} is in use`);
    } finally {
      busy.close();
    }
  });
});
