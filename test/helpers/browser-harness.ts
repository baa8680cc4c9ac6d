// Browser tests' harness: the real playground (backend, Sheets stand-in, add-on in its vm) driven by Debian's Chromium.
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type FrameLocator, type Page } from 'playwright-core';
import { startLocalPlayground, type Playground } from '../../backend/src/cli/dev-wiring-playground.js';
import type { LocalServer } from '../../backend/src/cli/local-server.js';
import { loadServerConfig } from '../../backend/src/config.js';
import { silentLogger } from '../../backend/src/ports/logger.js';
import type { OpenAiStandIn } from '../../local/openai/server.js';

export const CHROMIUM_PATH = process.env.ROWFILL_CHROMIUM ?? '/usr/bin/chromium';
const CHROMIUM_FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
export const SCREENSHOT_DIR = resolve('test-results/screenshots');

/** Use as `describe.skipIf(!chromiumAvailable())`; in CI a missing Chromium fails instead of skipping. */
export function chromiumAvailable(): boolean {
  if (existsSync(CHROMIUM_PATH)) return true;
  if (process.env.CI === 'true') throw new Error(`Browser tests need Chromium at ${CHROMIUM_PATH} in CI (apt-get install -y chromium).`);
  console.warn(`\n  SKIPPING browser tests: no Chromium at ${CHROMIUM_PATH} (apt-get install -y chromium).\n`);
  return false;
}

export interface BrowserPlayground {
  readonly playground: Playground;
  readonly server: LocalServer;
  readonly standIn: OpenAiStandIn;
  readonly page: Page;
  readonly sidebar: FrameLocator;
  /** Saves a full-page screenshot to test-results/screenshots/<name>.png and returns its path. */
  screenshot(name: string): Promise<string>;
  close(): Promise<void>;
}

let browser: Browser | undefined;

async function sharedBrowser(): Promise<Browser> {
  browser ??= await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_FLAGS });
  return browser;
}

/** Closes the browser the harness launched (call in afterAll). */
export async function closeBrowser(): Promise<void> {
  await browser?.close();
  browser = undefined;
}

/** A fresh playground in its own state directory, with one page open on it. */
export async function openPlayground(): Promise<BrowserPlayground> {
  const stateDir = mkdtempSync(join(tmpdir(), 'rowfill-browser-'));
  let server: LocalServer | undefined;
  const config = loadServerConfig({ ROWFILL_LOG_LEVEL: 'silent' });
  const playground = await startLocalPlayground({ config, log: silentLogger, stateDir, port: 0, onBackend: (s) => (server = s) });
  const standIn = server?.runtime.standIn;
  if (!server || !standIn) throw new Error('The playground should run on the OpenAI stand-in in tests.');
  const context = await (await sharedBrowser()).newContext({ viewport: { width: 1400, height: 1000 } });
  const page = await context.newPage();
  const pageErrors: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  await page.goto(playground.url);
  const sidebar = page.frameLocator('#sidebar');
  return {
    playground,
    server,
    standIn,
    page,
    sidebar,
    async screenshot(name) {
      mkdirSync(SCREENSHOT_DIR, { recursive: true });
      const path = join(SCREENSHOT_DIR, `${name}.png`);
      await page.screenshot({ path, fullPage: false });
      return path;
    },
    async close() {
      await context.close();
      await playground.close();
      rmSync(stateDir, { recursive: true, force: true });
      if (pageErrors.length > 0) throw new Error(`The page threw: ${pageErrors.join('; ')}`);
    },
  };
}
