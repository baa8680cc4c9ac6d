// What `clasp push` would upload: exactly Code.js, Sidebar.html and appsscript.json, with top-level stubs and the minimal scopes.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import vm from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PUBLIC_FUNCTIONS } from '../../../addon/src/public-functions.js';
import { buildAddon } from '../../../scripts/build-addon.js';

let dir: string;
let outDir: string;
let code: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'rowfill-bundle-'));
  outDir = (await buildAddon({ outDir: join(dir, 'addon') })).outDir;
  code = readFileSync(join(outDir, 'Code.js'), 'utf8');
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

const read = (name: string) => readFileSync(join(outDir, name), 'utf8');

describe('the add-on bundle', () => {
  it('holds exactly the three files clasp pushes', () => {
    expect(readdirSync(outDir).sort()).toEqual(['Code.js', 'Sidebar.html', 'appsscript.json']);
  });

  it('declares every trigger, menu handler and sidebar RPC as a top-level function forwarding to the bundle', () => {
    for (const name of PUBLIC_FUNCTIONS) expect(code).toMatch(new RegExp(`^function ${name}\\(\\) \\{\\n  return Rowfill\\.publicFunctions\\.${name}\\.apply\\(this, arguments\\);\\n\\}$`, 'm'));
    // Loaded as Apps Script loads a file (one classic script, no modules), each name is a global function backed by the bundle.
    const context = vm.createContext({});
    vm.runInContext(code, context);
    const globals = context as Record<string, unknown>;
    const bundle = (globals.Rowfill as { publicFunctions: Record<string, unknown> }).publicFunctions;
    for (const name of PUBLIC_FUNCTIONS) {
      expect(typeof globals[name], name).toBe('function');
      expect(typeof bundle[name], name).toBe('function');
    }
    expect(PUBLIC_FUNCTIONS).toEqual([
      'onOpen',
      'onInstall',
      'enrichSelectedRows',
      'rerunFailedRows',
      'cancelRunningJob',
      'openSidebar',
      'getSidebarState',
      'saveSettings',
      'getSelection',
      'estimateSelection',
      'startEnrichment',
      'getProgress',
      'resumeJob',
      'retryFailed',
      'cancelJob',
      'checkAccess',
    ]);
  });

  it('is one classic script: no import, export or require, nothing from node_modules', () => {
    expect(code).not.toMatch(/^\s*(import|export)\s/m);
    expect(code).not.toMatch(/\brequire\(/);
    expect(code).not.toMatch(/node_modules|zod/);
  });

  it('ships the manifest with V8, Stackdriver logging and exactly the five minimal scopes', () => {
    const manifest = JSON.parse(read('appsscript.json')) as Record<string, unknown>;
    expect(manifest).toMatchObject({ runtimeVersion: 'V8', exceptionLogging: 'STACKDRIVER', timeZone: expect.any(String) as unknown });
    expect([...(manifest.oauthScopes as string[])].sort()).toEqual(
      [
        'https://www.googleapis.com/auth/spreadsheets.currentonly',
        'https://www.googleapis.com/auth/script.container.ui',
        'https://www.googleapis.com/auth/script.external_request',
        'openid',
        'https://www.googleapis.com/auth/userinfo.email',
      ].sort(),
    );
    expect(manifest.oauthScopes).toHaveLength(5);
    const whitelist = manifest.urlFetchWhitelist as string[];
    expect(whitelist.length).toBeGreaterThan(0);
    for (const prefix of whitelist) expect(prefix).toMatch(/^https:\/\/[^/]+\/$/);
    // An editor add-on (menu + HtmlService sidebar): its manifest has no add-on-specific properties; `addOns` would
    // declare a Google Workspace add-on (https://developers.google.com/workspace/add-ons/concepts/editor-manifests).
    expect(Object.keys(manifest).sort()).toEqual(['exceptionLogging', 'oauthScopes', 'runtimeVersion', 'timeZone', 'urlFetchWhitelist']);
    expect(read('appsscript.json')).toBe(`${JSON.stringify(JSON.parse(readFileSync('appsscript.json', 'utf8')), null, 2)}\n`);
  });

  it('makes the sidebar one self-contained page: inline script and style, nothing loaded from elsewhere', () => {
    const html = read('Sidebar.html');
    expect(html).not.toMatch(/<script[^>]*\bsrc=/i);
    expect(html).not.toMatch(/<link\b/i);
    expect(html).not.toMatch(/@import|url\(\s*['"]?https?:/i);
    expect(html.match(/<script>/g)).toHaveLength(1);
    expect(html.match(/<\/script>/g)).toHaveLength(1);
    expect(html.match(/<style>/g)).toHaveLength(1);
    expect(html).not.toContain('rowfill:script');
    expect(html).not.toContain('rowfill:style');
    for (const id of ['settings-form', 'input-list', 'output-list', 'workers', 'budgetUsd', 'estimate', 'start', 'job-bar', 'cancel-job', 'retry-failed', 'resume-form', 'check-access', 'simulated-badge']) {
      expect(html, id).toContain(`id="${id}"`);
    }
    expect(html).toContain('google.script.run');
  });

  it('points clasp at the bundle and wires the npm scripts', () => {
    expect(JSON.parse(readFileSync('.clasp.json', 'utf8'))).toMatchObject({ rootDir: 'dist/addon', scriptId: expect.any(String) as unknown });
    const scripts = (JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: Record<string, string> }).scripts;
    expect(scripts['build:addon']).toBe('node --import tsx scripts/build-addon.ts');
    expect(scripts['push:addon']).toMatch(/^npm run build:addon && npx --no-install clasp push$/);
  });
});
