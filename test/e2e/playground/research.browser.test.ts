// Research mode by clicking, in Chromium: switch "Research the web" on, the estimate shows the searches, rows fill with sources.
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { chromiumAvailable, closeBrowser, openPlayground, type BrowserPlayground } from '../../helpers/browser-harness.js';
import { gridColumn, selectRows, setUpSidebar, waitForGrid } from './playground-steps.js';

let open: BrowserPlayground | undefined;

afterEach(async ({ task }) => {
  if (task.result?.state === 'fail') await open?.screenshot(`failed-${task.name.slice(0, 40).replace(/\W+/g, '-')}`).catch(() => undefined);
  await open?.close();
  open = undefined;
});
afterAll(closeBrowser);

describe.skipIf(!chromiumAvailable())('research mode in the playground', { timeout: 180_000 }, () => {
  it('switches research on, shows the search cost in the estimate, and fills rowfill_sources with URLs in the grid', async () => {
    open = await openPlayground();
    const { page, sidebar } = open;
    // No TAVILY_API_KEY in tests: the local search stand-in answers, and the page says so.
    await expect.poll(() => page.locator('#simulated-search-badge').isVisible()).toBe(true);
    await selectRows(page, 2, 6);
    await setUpSidebar(sidebar, { workers: 5, budgetUsd: 1 });
    const limits = sidebar.locator('#research-limits');
    expect(await limits.isVisible()).toBe(false);
    const research = sidebar.getByRole('switch', { name: 'Research the web' });
    expect(await research.isChecked()).toBe(false);
    await research.check();
    await expect.poll(() => limits.isVisible()).toBe(true);
    await expect.poll(() => sidebar.getByLabel('Searches per row').inputValue()).toBe('3');
    await expect.poll(() => sidebar.getByLabel('Pages read per row').inputValue()).toBe('2');
    await sidebar.getByLabel('Searches per row').fill('2');
    await sidebar.getByLabel('Pages read per row').fill('1');

    await sidebar.getByRole('button', { name: 'Estimate selected rows' }).click();
    const start = sidebar.locator('#start');
    await expect.poll(() => start.textContent(), { timeout: 20_000 }).toBe('Enrich 5 rows');
    // 5 rows × 1–2 searches at $0.008: $0.04–$0.08, inside the cost range.
    await expect.poll(() => sidebar.locator('#estimate-stats').textContent()).toContain('Web searches (included)$0.04–$0.08 (1–2 a row, up to 1 page read)');
    await open.screenshot('research-estimate');
    await start.click();
    await expect.poll(() => sidebar.locator('#status').textContent(), { timeout: 20_000 }).toBe('Started: 5 rows queued.');

    const finished = await waitForGrid(page, (rows) => {
      const status = gridColumn(rows, 'rowfill_status');
      return status >= 0 && rows.slice(1, 6).every((r) => r[status] === 'done' || r[status]?.startsWith('failed')) ? rows : undefined;
    });
    const status = gridColumn(finished, 'rowfill_status');
    const sources = gridColumn(finished, 'rowfill_sources');
    // The sources column sits with the outputs, just before the status.
    expect(sources).toBe(status - 1);
    expect(sources).toBeGreaterThan(gridColumn(finished, 'Category'));
    const done = finished.slice(1, 6).filter((r) => r[status] === 'done');
    expect(done.length).toBeGreaterThan(0);
    for (const row of done) {
      // The grid shows a cell's lines run together; the sheet holds one URL a line.
      const urls = (row[sources] ?? '').split(/\s+/).filter((u) => u !== '');
      expect(urls.length).toBeGreaterThan(0);
      for (const url of urls) expect(url).toMatch(/^https?:\/\/\S+$/);
    }
    const cells = open.playground.workbook.values('A2:Z6').map((r) => r[sources]);
    for (const [i, row] of finished.slice(1, 6).entries()) {
      if (row[status] === 'done') expect((cells[i] as string).split('\n').join(' ')).toBe(row[sources]);
    }
    // Rows outside the selection get no sources.
    expect(finished[6]?.[sources] ?? '').toBe('');
    await open.screenshot('research-done');

    // The switch is kept with the tab's settings: a reopened sidebar shows it on, with the limits chosen.
    await page.reload();
    const reopened = page.frameLocator('#sidebar');
    await expect.poll(() => reopened.getByRole('switch', { name: 'Research the web' }).isChecked(), { timeout: 20_000 }).toBe(true);
    await expect.poll(() => reopened.getByLabel('Searches per row').inputValue()).toBe('2');
  });
});
