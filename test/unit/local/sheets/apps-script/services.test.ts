// The smaller services: PropertiesService, Utilities, HtmlService, Ui, ScriptApp, Session and Logger, as the add-on calls them.
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import vm from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAppsScriptContext, type AppsScriptContext } from '../../../../../local/sheets/apps-script/index.js';
import { Workbooks } from '../../../../../local/sheets/workbooks.js';

let dir: string;
let gas: AppsScriptContext;
const lines: string[] = [];
const run = (code: string) => vm.runInContext(`{ ${code} }`, gas.context) as unknown;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'rowfill-gas-html-'));
  writeFileSync(join(dir, 'Sidebar.html'), '<p>hi</p>');
  gas = createAppsScriptContext({
    workbook: new Workbooks().create({ title: 'T' }),
    user: 'ada@example.com',
    identityToken: 'id-token',
    scriptProperties: { ROWFILL_BACKEND_URL: 'https://b.example' },
    htmlDir: dir,
    answer: (a) => (a.prompt === 'Delete?' ? 'NO' : undefined),
    log: (line) => lines.push(line),
  });
});

afterAll(async () => {
  await gas.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('Apps Script services', () => {
  it('keeps document, script and user properties apart, as strings, within the 9 KB value limit', () => {
    expect(run('PropertiesService.getScriptProperties().getProperty("ROWFILL_BACKEND_URL")')).toBe('https://b.example');
    run('PropertiesService.getDocumentProperties().setProperty("n", 5).setProperties({ a: "1", b: true })');
    expect(run('PropertiesService.getDocumentProperties().getProperties()')).toEqual({ n: '5', a: '1', b: 'true' });
    expect(run('PropertiesService.getUserProperties().getKeys()')).toEqual([]);
    run('PropertiesService.getDocumentProperties().deleteProperty("a")');
    expect(gas.properties.document.all()).toEqual({ n: '5', b: 'true' });
    expect(() => run('PropertiesService.getDocumentProperties().setProperty("big", "x".repeat(9 * 1024 + 1))')).toThrow(/Argument too large/);
    expect(run('PropertiesService.getDocumentProperties().getProperty("missing")')).toBeNull();
  });

  it('computes digests as signed bytes, UUIDs, blobs and base64', () => {
    const bytes = run('Utilities.computeDigest(Utilities.DigestAlgorithm.SHA_256, "nonce", Utilities.Charset.UTF_8)') as number[];
    expect(bytes.every((b) => b >= -128 && b <= 127)).toBe(true);
    expect(Buffer.from(bytes.map((b) => (b + 256) % 256)).toString('hex')).toBe(createHash('sha256').update('nonce').digest('hex'));
    expect(run('Utilities.getUuid()')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(run('const b = Utilities.newBlob("héllo", "text/plain", "a.txt"); [b.getDataAsString(), b.getContentType(), b.getName(), b.getBytes().length]')).toEqual(['héllo', 'text/plain', 'a.txt', 6]);
    expect(run('Utilities.base64Encode("hi")')).toBe('aGk=');
    const started = Date.now();
    run('Utilities.sleep(30)');
    expect(Date.now() - started).toBeGreaterThanOrEqual(25);
  });

  it('serves HTML files by name, titled, and shows them as a sidebar', () => {
    run('SpreadsheetApp.getUi().showSidebar(HtmlService.createHtmlOutputFromFile("Sidebar").setTitle("Rowfill").setWidth(300))');
    expect(gas.ui.sidebars.at(-1)).toEqual({ title: 'Rowfill', html: '<p>hi</p>' });
    expect(() => run('HtmlService.createHtmlOutputFromFile("Nope")')).toThrow('No HTML file named Nope was found.');
  });

  it('records alerts in all three forms and answers them as the test says', () => {
    expect(run('const ui = SpreadsheetApp.getUi(); ui.alert("Hello") === ui.Button.OK')).toBe(true);
    expect(run('const ui = SpreadsheetApp.getUi(); String(ui.alert("Delete?", ui.ButtonSet.YES_NO))')).toBe('NO');
    expect(run('const ui = SpreadsheetApp.getUi(); ui.alert("Rowfill", "Go?", ui.ButtonSet.OK_CANCEL) === ui.Button.OK')).toBe(true);
    expect(gas.ui.alerts.slice(-3)).toEqual([
      { title: null, prompt: 'Hello', buttons: 'OK', response: 'OK' },
      { title: null, prompt: 'Delete?', buttons: 'YES_NO', response: 'NO' },
      { title: 'Rowfill', prompt: 'Go?', buttons: 'OK_CANCEL', response: 'OK' },
    ]);
    run('SpreadsheetApp.getActive().toast("Done", "Rowfill", 3)');
    expect(gas.ui.toasts.at(-1)).toEqual({ message: 'Done', title: 'Rowfill', timeoutSeconds: 3 });
    run('SpreadsheetApp.getUi().createMenu("Tools").addItem("Go", "go").addSubMenu(SpreadsheetApp.getUi().createMenu("More").addItem("X", "x")).addToUi()');
    expect(gas.ui.menus.at(-1)).toEqual({
      caption: 'Tools',
      addon: false,
      entries: [
        { kind: 'item', caption: 'Go', functionName: 'go' },
        { kind: 'submenu', caption: 'More', entries: [{ kind: 'item', caption: 'X', functionName: 'x' }] },
      ],
    });
  });

  it('answers who the user is and their identity token; logs go to the host', () => {
    expect(run('[Session.getActiveUser().getEmail(), ScriptApp.getIdentityToken(), String(ScriptApp.AuthMode.FULL)]')).toEqual(['ada@example.com', 'id-token', 'FULL']);
    run('Logger.log("n=%s", 3); console.log("hello", { a: 1 })');
    expect(lines.slice(-2)).toEqual(['n=3', 'hello { a: 1 }']);
  });

  it('calls loaded top-level functions with JSON arguments and results, as google.script.run does', () => {
    vm.runInContext('function echo(x) { return { x: x, when: new Date(0), skip: undefined, fn: function () {} }; }', gas.context);
    expect(gas.call('echo', { a: [1, 'b'] })).toEqual({ x: { a: [1, 'b'] }, when: '1970-01-01T00:00:00.000Z' });
    expect(() => gas.call('missing')).toThrow('Script function not found: missing');
  });
});
