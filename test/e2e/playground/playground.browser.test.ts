// The user story of DESIGN §1 by clicking, in Chromium: select rows, set up the sidebar, enrich, sort, faults, budget.
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { LOCAL_SERVICE_ACCOUNT } from '../../../backend/src/cli/dev-wiring-sheets.js';
import { chromiumAvailable, closeBrowser, openPlayground, type BrowserPlayground } from '../../helpers/browser-harness.js';
import { clickMenu, gridColumn, selectRows, setUpSidebar, startFromSidebar, statusCounts, waitForGrid } from './playground-steps.js';

let open: BrowserPlayground | undefined;

afterEach(async ({ task }) => {
  // A failed test leaves a picture of where it stopped.
  if (task.result?.state === 'fail') await open?.screenshot(`failed-${task.name.slice(0, 40).replace(/\W+/g, '-')}`).catch(() => undefined);
  await open?.close();
  open = undefined;
});
afterAll(closeBrowser);

describe.skipIf(!chromiumAvailable())('the playground in Chromium', { timeout: 180_000 }, () => {
  it('enriches rows 2–101 with 8 workers and $0.50: statuses go queued → done, outputs fill, the bar reaches 100%', async () => {
    open = await openPlayground();
    const { page, sidebar } = open;
    await expect.poll(() => page.locator('#simulated-badge').isVisible()).toBe(true);
    await selectRows(page, 2, 101);
    await setUpSidebar(sidebar, { workers: 8, budgetUsd: 0.5 });
    await startFromSidebar(sidebar, 100);

    const sawQueued = await waitForGrid(page, (rows) => {
      const status = gridColumn(rows, 'rowfill_status');
      return status >= 0 && rows.slice(1, 101).some((r) => r[status] === 'queued') ? true : undefined;
    });
    expect(sawQueued).toBe(true);
    await open.screenshot('enrich-running');

    const finished = await waitForGrid(page, (rows) => {
      const status = gridColumn(rows, 'rowfill_status');
      const done = rows.slice(1, 101).filter((r) => r[status] === 'done').length;
      return done === 100 ? rows : undefined;
    });
    const category = gridColumn(finished, 'Category');
    expect(finished.slice(1, 101).every((r) => (r[category] ?? '').length > 0)).toBe(true);
    // Rows outside the selection are left alone.
    expect(finished[101]?.[gridColumn(finished, 'rowfill_status')] ?? '').toBe('');
    await expect.poll(() => sidebar.locator('#job-bar').getAttribute('value'), { timeout: 15_000 }).toBe('100');
    await expect.poll(() => sidebar.locator('#job-state').textContent(), { timeout: 15_000 }).toBe('Finished: all 100 rows done.');
    // "Started: 100 rows queued." said what was true while the job ran; it goes when the job ends.
    await expect.poll(() => sidebar.locator('#status').textContent()).toBe('');
    await open.screenshot('enrich-done');
  });

  it('answers the menu with clear alerts, and Ctrl-click adds a second range that the estimate counts', async () => {
    open = await openPlayground();
    const { page, sidebar } = open;
    await clickMenu(page, 'Enrich selected rows');
    await expect.poll(() => page.locator('#alerts li').first().textContent()).toContain('Select the rows to enrich first');
    await page.locator('button.row-head[data-row="1"]').click();
    await clickMenu(page, 'Enrich selected rows');
    await expect.poll(() => page.locator('#alerts li').first().textContent()).toContain('Only the header row (row 1) is selected.');

    await selectRows(page, 2, 4);
    await page.locator('button.row-head[data-row="10"]').click({ modifiers: ['Control'] });
    await expect.poll(() => page.locator('#selection').textContent()).toBe('Selected: 2:4, 10:10');
    await clickMenu(page, 'Enrich selected rows');
    await expect.poll(() => page.locator('#alerts li').first().textContent()).toContain('does not know what to fill in on this sheet yet');
    await setUpSidebar(sidebar, { workers: 8, budgetUsd: 0.5 });
    await sidebar.getByRole('button', { name: 'Estimate selected rows' }).click();
    await expect.poll(() => sidebar.locator('#start').textContent(), { timeout: 20_000 }).toBe('Enrich 4 rows');
    await expect.poll(() => sidebar.locator('#selection-line').textContent()).toBe('4 rows selected.');
    await open.screenshot('menu-alerts-and-two-ranges');

    // The sharing helper (folded until opened): checks access, and says whom to share with when the backend cannot open the sheet.
    await sidebar.locator('#access-section > summary').click();
    const check = sidebar.getByRole('button', { name: 'Check access' });
    await check.click();
    await expect.poll(() => sidebar.locator('#access-result').textContent()).toContain('Rowfill can open this spreadsheet');
    open.playground.workbook.access.delete(LOCAL_SERVICE_ACCOUNT);
    await check.click();
    await expect.poll(() => sidebar.locator('#access-result').textContent()).toContain(`Share it with ${LOCAL_SERVICE_ACCOUNT} as an editor`);
    await open.screenshot('sharing-helper');
  });

  it('keeps every result on its own row when the grid is sorted mid-run', async () => {
    open = await openPlayground();
    const { page, sidebar } = open;
    await selectRows(page, 2, 101);
    await setUpSidebar(sidebar, { workers: 8, budgetUsd: 0.5 });
    await startFromSidebar(sidebar, 100);
    const selectedBrands = new Set((await waitForGrid(page, (rows) => rows)).slice(1, 101).map((r) => r[0]));
    // Sort once some rows are done and others are still to come, as a colleague might.
    await waitForGrid(page, (rows) => {
      const done = statusCounts(rows).done ?? 0;
      return done >= 10 && done <= 80 ? true : undefined;
    });
    await page.getByRole('button', { name: 'Sort by Brand' }).click();
    await expect.poll(() => page.locator('#status').textContent()).toContain('Sorted rows 2 and below by Brand');
    await open.screenshot('sort-mid-run');

    const finished = await waitForGrid(page, (rows) => ((statusCounts(rows).done ?? 0) === 100 ? rows : undefined));
    const status = gridColumn(finished, 'rowfill_status');
    const category = gridColumn(finished, 'Category');
    const brands = finished.slice(1).map((r) => r[0] ?? '');
    expect(brands).toEqual([...brands].sort((a, b) => a.localeCompare(b)));
    for (const row of finished.slice(1)) {
      const brand = row[0] ?? '';
      if (selectedBrands.has(brand)) {
        expect(row[status]).toBe('done');
        // The stand-in's answer names the row's own brand: a result written to the wrong row would name another.
        expect(row[category]).toMatch(new RegExp(`category for ${brand.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`));
      } else {
        expect(row[status] ?? '').toBe('');
        expect(row[category] ?? '').toBe('');
      }
    }
    await open.screenshot('sort-mid-run-done');
  });

  it('with 20% injected faults, Re-run failed rows from the menu ends with every row done', async () => {
    open = await openPlayground();
    const { page, sidebar, standIn } = open;
    standIn.configure({ seed: 11, faults: { contentFilter: 0.08, refusal: 0.04, error500: 0.04, rateLimit: 0.04 } });
    await selectRows(page, 2, 101);
    await setUpSidebar(sidebar, { workers: 8, budgetUsd: 0.5 });
    await startFromSidebar(sidebar, 100);
    await expect.poll(() => sidebar.locator('#job-state').textContent(), { timeout: 60_000 }).toMatch(/^Finished with \d+ failed rows?\.$/);
    // The grid redraws from the sheet on its own poll, so it may show the last flush a moment after the sidebar.
    const failedIn = (counts: Record<string, number>) => Object.entries(counts).filter(([s]) => s.startsWith('failed')).reduce((n, [, c]) => n + c, 0);
    const afterFaults = statusCounts(await waitForGrid(page, (rows) => ((statusCounts(rows).done ?? 0) + failedIn(statusCounts(rows)) === 100 ? rows : undefined)));
    const failed = failedIn(afterFaults);
    expect(failed).toBeGreaterThan(0);
    expect((afterFaults.done ?? 0) + failed).toBe(100);
    await expect.poll(() => sidebar.locator('#job-errors').isVisible()).toBe(true);
    await open.screenshot('faults-before-rerun');

    standIn.configure({ faults: { contentFilter: 0, refusal: 0, error500: 0, rateLimit: 0 } });
    await clickMenu(page, 'Re-run failed rows');
    await waitForGrid(page, (rows) => ((statusCounts(rows).done ?? 0) === 100 ? true : undefined));
    await expect.poll(() => sidebar.locator('#job-state').textContent(), { timeout: 20_000 }).toBe('Finished: all 100 rows done.');
    await open.screenshot('faults-after-rerun');
  });

  it('cancels from the sidebar with the keyboard: nothing more is spent and the rest of the rows read cancelled', async () => {
    open = await openPlayground();
    const { page, sidebar, standIn } = open;
    standIn.configure({ latencyMs: 800, jitterMs: 0 });
    await selectRows(page, 2, 101);
    await setUpSidebar(sidebar, { workers: 4, budgetUsd: 0.5 });
    await startFromSidebar(sidebar, 100);
    await waitForGrid(page, (rows) => ((statusCounts(rows).done ?? 0) >= 4 ? true : undefined));
    const cancel = sidebar.getByRole('button', { name: 'Cancel job' });
    await cancel.focus();
    await cancel.press('Enter');
    await expect.poll(() => sidebar.locator('#job-state').textContent(), { timeout: 20_000 }).toMatch(/^Cancelled after \d+ of 100 rows\.$/);
    const billedAtCancel = standIn.requestLog.filter((e) => e.billed).length;
    const rows = await waitForGrid(page, (r) => ((statusCounts(r).cancelled ?? 0) > 0 && (statusCounts(r).queued ?? 0) === 0 ? r : undefined));
    const counts = statusCounts(rows);
    expect((counts.done ?? 0) + (counts.cancelled ?? 0)).toBe(100);
    // The headline counts the rows done before the cancel, not the cancelled ones.
    await expect.poll(() => sidebar.locator('#job-state').textContent()).toBe(`Cancelled after ${counts.done ?? 0} of 100 rows.`);
    // The bar shows the rows that ran, not the cancelled ones.
    await expect.poll(() => sidebar.locator('#job-bar').getAttribute('value')).toBe(String(counts.done ?? 0));
    expect(await sidebar.locator('#job-percent').textContent()).toBe(`${counts.done ?? 0}% finished`);
    await page.waitForTimeout(1500);
    // Calls already on the wire may still answer; no new row is started.
    expect(standIn.requestLog.filter((e) => e.billed).length).toBeLessThanOrEqual(billedAtCancel + 4);
    await open.screenshot('cancelled');
  });

  it('pauses with "paused: budget" on a small budget, and raising it in the sidebar resumes to the end', async () => {
    open = await openPlayground();
    const { page, sidebar } = open;
    await selectRows(page, 2, 101);
    await setUpSidebar(sidebar, { workers: 8, budgetUsd: 0.003 });
    await startFromSidebar(sidebar, 100);
    await waitForGrid(page, (rows) => ((statusCounts(rows)['paused: budget'] ?? 0) > 0 ? true : undefined));
    await expect.poll(() => sidebar.locator('#job-state').textContent(), { timeout: 20_000 }).toMatch(/^Paused: the budget is spent/);
    // A reopened sidebar finds the tab's latest job.
    await page.reload();
    await expect.poll(() => sidebar.locator('#job-state').textContent(), { timeout: 20_000 }).toMatch(/^Paused: the budget is spent/);
    const resume = sidebar.getByLabel('Budget to resume with (USD)');
    await expect.poll(() => resume.isVisible()).toBe(true);
    // One pause sentence, with the very numbers of the Spent line.
    await expect.poll(() => sidebar.locator('#job-state').textContent()).not.toContain('$0.0000 spent');
    const spent = await sidebar.locator('#job-stats .stat', { hasText: 'Spent' }).locator('dd').textContent();
    expect(spent).toMatch(/^\$0\.00\d\d of \$0\.0030$/);
    const headline = (await sidebar.locator('#job-state').textContent()) ?? '';
    expect(headline).toContain(`${spent ?? ''} spent`);
    expect(headline).not.toMatch(/ is left\./);
    await open.screenshot('budget-paused');

    await resume.fill('0.50');
    await sidebar.getByRole('button', { name: 'Resume' }).click();
    await waitForGrid(page, (rows) => ((statusCounts(rows).done ?? 0) === 100 ? true : undefined));
    await expect.poll(() => sidebar.locator('#job-state').textContent(), { timeout: 20_000 }).toBe('Finished: all 100 rows done.');
    await expect.poll(() => sidebar.locator('#job-bar').getAttribute('value')).toBe('100');
    // The Budget setting follows the resume, so the next job does not start at $0.003 again.
    expect(await sidebar.getByLabel('Budget (USD)', { exact: true }).inputValue()).toBe('0.5');
    await open.screenshot('budget-resumed');
  });
});
