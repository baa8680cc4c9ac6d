// Cheap mode in the sidebar (issue 13): the Speed choice beside the budget, both prices in the estimate, kept with the
// tab's settings and sent as config.mode; a cheap job's rows read `in batch` while the sidebar shows the batch's state
// and when its results are due, then every row is done.
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { chromiumAvailable, closeBrowser, openPlayground, type BrowserPlayground } from '../../helpers/browser-harness.js';
import { gridColumn, selectRows, setUpSidebar, startFromSidebar, statusCounts, waitForGrid } from './playground-steps.js';

let open: BrowserPlayground | undefined;

afterEach(async ({ task }) => {
  if (task.result?.state === 'fail') await open?.screenshot(`failed-${task.name.slice(0, 40).replace(/\W+/g, '-')}`).catch(() => undefined);
  await open?.close();
  open = undefined;
});
afterAll(closeBrowser);

/** A line of a sidebar stats list (`#job-stats`, `#estimate-stats`) by its label. */
const stat = (sidebar: BrowserPlayground['sidebar'], list: string, label: string) => sidebar.locator(`#${list} .stat`).filter({ has: sidebar.locator('dt', { hasText: new RegExp(`^${label}$`) }) }).locator('dd');

describe.skipIf(!chromiumAvailable())('Cheap mode in the sidebar, in Chromium', { timeout: 180_000 }, () => {
  it('offers Speed Fast / Cheap, shows both prices in the estimate, keeps Cheap across a reload and starts a cheap job', async () => {
    open = await openPlayground();
    const { page, sidebar } = open;
    await selectRows(page, 2, 11);
    await setUpSidebar(sidebar, { workers: 8, budgetUsd: 0.5 });
    const fast = sidebar.getByRole('radio', { name: 'Fast' });
    const cheap = sidebar.getByRole('radio', { name: 'Cheap (Batch API, results within 24 h)' });
    expect(await fast.isChecked()).toBe(true);
    // "Finish late rows fast" is a Cheap choice: hidden while Fast is chosen.
    const lateFast = sidebar.getByRole('checkbox', { name: /^Finish late rows fast/ });
    expect(await lateFast.isVisible()).toBe(false);
    await cheap.check();
    await lateFast.check();
    await sidebar.getByRole('button', { name: 'Save settings' }).click();
    await expect.poll(() => sidebar.locator('#status').textContent()).toBe('Settings saved for this tab.');

    await page.reload();
    await expect.poll(() => cheap.isChecked(), { timeout: 20_000 }).toBe(true);
    expect(await fast.isChecked()).toBe(false);
    expect(await lateFast.isChecked()).toBe(true);

    await selectRows(page, 2, 11);
    await sidebar.getByRole('button', { name: 'Estimate selected rows' }).click();
    const cost = stat(sidebar, 'estimate-stats', 'Estimated cost');
    await expect.poll(() => cost.textContent(), { timeout: 20_000 }).toMatch(/^Fast \$[\d.]+(–\$[\d.]+)? · Cheap \$[\d.]+(–\$[\d.]+)?$/);
    // The Batch API's half price, as the sidebar rounds it.
    const [fastHigh, cheapHigh] = [...((await cost.textContent()) ?? '').matchAll(/\$([\d.]+)(?= ·|$)/g)].map((m) => Number(m[1]));
    expect(cheapHigh).toBeLessThan(fastHigh ?? 0);
    await open.screenshot('cheap-mode-estimate');

    await startFromSidebar(sidebar, 10);
    // What the backend got: the job's stored config says cheap.
    const [job] = await open.server.runtime.store.listJobs({ limit: 1 });
    expect(job?.config.mode).toBe('cheap');
    expect(job?.config.lateRows).toBe('fast');
    await waitForGrid(page, (rows) => (statusCounts(rows).done === 10 ? rows : undefined), 90_000);
  });

  it('shows a cheap job\'s rows `in batch`, the batch\'s state and "by <time>" in the sidebar, then every row done', async () => {
    open = await openPlayground();
    const { page, sidebar, standIn } = open;
    // The stand-in's batch takes this long from validating to completed: long enough to be seen open.
    standIn.configure({ batchDelayMs: 8_000 });
    await selectRows(page, 2, 9);
    await setUpSidebar(sidebar, { workers: 8, budgetUsd: 0.5 });
    await sidebar.getByRole('radio', { name: /^Cheap/ }).check();
    await startFromSidebar(sidebar, 8);

    const inBatch = await waitForGrid(page, (rows) => (statusCounts(rows)['in batch'] === 8 ? rows : undefined));
    expect(gridColumn(inBatch, 'rowfill_status')).toBeGreaterThan(0);
    const batches = stat(sidebar, 'job-stats', 'Batches');
    await expect.poll(() => batches.textContent(), { timeout: 20_000 }).toMatch(/^(validating|in progress|finalizing) \(8 rows\)$/);
    expect(await stat(sidebar, 'job-stats', 'In batch').textContent()).toBe('8');
    // The stand-in's window is 24 h, as OpenAI's: due tomorrow at this time (or today, just after midnight's turn).
    expect(await stat(sidebar, 'job-stats', 'Results').textContent()).toMatch(/^by (tomorrow )?\d\d:\d\d$/);
    await open.screenshot('cheap-mode-in-batch');

    const finished = await waitForGrid(page, (rows) => (statusCounts(rows).done === 8 ? rows : undefined), 90_000);
    const category = gridColumn(finished, 'Category');
    expect(finished.slice(1, 9).every((r) => (r[category] ?? '').length > 0)).toBe(true);
    await expect.poll(() => sidebar.locator('#job-state').textContent(), { timeout: 15_000 }).toBe('Finished: all 8 rows done.');
    expect(await stat(sidebar, 'job-stats', 'Batches').textContent()).toBe('—');
  });
});
