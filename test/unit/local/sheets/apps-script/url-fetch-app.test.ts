// UrlFetchApp: real, blocking HTTP — on this thread through a fetch worker, or from the add-on worker while this thread serves.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import vm from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAppsScriptContext, startAddonWorker, type AppsScriptContext } from '../../../../../local/sheets/apps-script/index.js';
import { Workbooks } from '../../../../../local/sheets/workbooks.js';

const ECHO = `
const http = require('node:http');
const server = http.createServer((req, res) => {
  let body = '';
  req.on('data', (c) => (body += c));
  req.on('end', () => {
    if (req.url === '/missing') { res.writeHead(404, { 'content-type': 'text/plain' }); res.end('no such thing'); return; }
    res.writeHead(200, { 'content-type': 'application/json', 'x-echo': 'yes' });
    res.end(JSON.stringify({ method: req.method, url: req.url, contentType: req.headers['content-type'] ?? null, test: req.headers['x-test'] ?? null, body }));
  });
});
server.listen(0, '127.0.0.1', () => console.log(server.address().port));
`;

let child: ChildProcess;
let remote: string;
let gas: AppsScriptContext;
const run = (code: string) => vm.runInContext(`{ ${code} }`, gas.context) as unknown;

beforeAll(async () => {
  // The server runs in another process: this thread blocks while UrlFetchApp waits, as Apps Script does.
  child = spawn(process.execPath, ['-e', ECHO], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<string>((resolve) => child.stdout?.once('data', (d: Buffer) => resolve(d.toString().trim())));
  remote = `http://127.0.0.1:${port}`;
  gas = createAppsScriptContext({ workbook: new Workbooks().create({ title: 'T' }) });
});

afterAll(async () => {
  await gas.close();
  child.kill();
});

describe('UrlFetchApp on this thread', () => {
  it('fetches synchronously: method, headers, JSON payload, response code, text and headers', () => {
    const answer = run(`
      const r = UrlFetchApp.fetch(${JSON.stringify(`${remote}/v1/x?y=1`)}, { method: 'post', contentType: 'application/json', payload: JSON.stringify({ a: 1 }), headers: { 'X-Test': 'yes' } });
      ({ code: r.getResponseCode(), body: JSON.parse(r.getContentText()), echo: r.getHeaders()['x-echo'] })
    `);
    expect(answer).toEqual({ code: 200, body: { method: 'POST', url: '/v1/x?y=1', contentType: 'application/json', test: 'yes', body: '{"a":1}' }, echo: 'yes' });
    expect(gas.fetchLog.at(-1)).toMatchObject({ method: 'POST', url: `${remote}/v1/x?y=1`, status: 200, error: null, requestBody: '{"a":1}' });
  });

  it('sends an object payload as a form, and GETs by default', () => {
    expect(run(`JSON.parse(UrlFetchApp.fetch(${JSON.stringify(remote)}, { method: 'put', payload: { a: 'b c', n: 2 } }).getContentText())`)).toMatchObject({
      method: 'PUT',
      contentType: 'application/x-www-form-urlencoded',
      body: 'a=b+c&n=2',
    });
    expect(run(`JSON.parse(UrlFetchApp.fetch(${JSON.stringify(`${remote}/get`)}).getContentText()).method`)).toBe('GET');
  });

  it('throws on HTTP errors unless muteHttpExceptions, as Apps Script does', () => {
    expect(() => run(`UrlFetchApp.fetch(${JSON.stringify(`${remote}/missing`)})`)).toThrow(`Request failed for ${remote} returned code 404. Truncated server response: no such thing`);
    expect(run(`const r = UrlFetchApp.fetch(${JSON.stringify(`${remote}/missing`)}, { muteHttpExceptions: true }); [r.getResponseCode(), r.getContentText()]`)).toEqual([404, 'no such thing']);
  });

  it('throws when no answer comes back, and refuses a URL without a scheme', () => {
    expect(() => run(`UrlFetchApp.fetch('http://127.0.0.1:9/nothing', { muteHttpExceptions: true })`)).toThrow(/^Address unavailable: http:\/\/127\.0\.0\.1:9\/nothing/);
    expect(gas.fetchLog.at(-1)).toMatchObject({ status: null, error: expect.stringMatching(/^Address unavailable/) as unknown });
    expect(() => run(`UrlFetchApp.fetch('example.com')`)).toThrow('Invalid argument: example.com');
  });
});

describe('UrlFetchApp from the add-on worker', () => {
  let server: Server;
  let dir: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'rowfill-gas-'));
    server = createServer((req, res) => res.end(JSON.stringify({ url: req.url, auth: req.headers.authorization ?? null })));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    rmSync(dir, { recursive: true, force: true });
  });

  it('reaches a server on this very thread without deadlock, since the vm waits on its own thread', async () => {
    const code = join(dir, 'Code.js');
    writeFileSync(
      code,
      `function ping(url) {
        var r = UrlFetchApp.fetch(url, { headers: { Authorization: 'Bearer ' + ScriptApp.getIdentityToken() } });
        SpreadsheetApp.getUi().alert('pinged ' + Session.getActiveUser().getEmail());
        return JSON.parse(r.getContentText());
      }`,
    );
    const addon = await startAddonWorker({ workbook: new Workbooks().create({ title: 'T' }), codePath: code, identityToken: () => 'tok-1', user: 'bo@example.com' });
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hello`;
      expect(await addon.call('ping', url)).toEqual({ url: '/hello', auth: 'Bearer tok-1' });
      expect(addon.ui.lastAlert).toEqual({ title: null, prompt: 'pinged bo@example.com', buttons: 'OK', response: 'OK' });
      expect(addon.fetchLog.map((f) => f.status)).toEqual([200]);
      await expect(addon.call('nope')).rejects.toThrow('Script function not found: nope');
    } finally {
      await addon.close();
    }
  });
});
