// "As fast as my limits allow" in the sidebar (issue 12): picked beside Workers, kept with the tab's settings, sent as
// workers "auto", and a job started with it runs to the end.
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { chromiumAvailable, closeBrowser, openPlayground, type BrowserPlayground } from '../../helpers/browser-harness.js';
import { gridColumn, selectRows, setUpSidebar, startFromSidebar, waitForGrid } from './playground-steps.js';

let open: BrowserPlayground | undefined;

afterEach(async ({ task }) => {
  if (task.result?.state === 'fail') await open?.screenshot(`failed-${task.name.slice(0, 40).replace(/\W+/g, '-')}`).catch(() => undefined);
  await open?.close();
  open = undefined;
});
afterAll(closeBrowser);

describe.skipIf(!chromiumAvailable())('As fast as my limits allow, in Chromium', { timeout: 180_000 }, () => {
  it('is picked beside Workers, survives a reload, and runs a job to the end with workers auto', async () => {
    open = await openPlayground();
    const { page, sidebar } = open;
    await selectRows(page, 2, 21);
    await setUpSidebar(sidebar, { workers: 8, budgetUsd: 0.5 });
    const auto = sidebar.getByRole('checkbox', { name: 'As fast as my limits allow' });
    const workers = sidebar.getByLabel('Workers');
    expect(await auto.isChecked()).toBe(false);
    await auto.check();
    // The number stays as typed, but is not what the job uses while the choice is on.
    expect(await workers.isDisabled()).toBe(true);
    expect(await workers.inputValue()).toBe('8');
    await sidebar.getByRole('button', { name: 'Save settings' }).click();
    await expect.poll(() => sidebar.locator('#status').textContent()).toBe('Settings saved for this tab.');

    await page.reload();
    await expect.poll(() => auto.isChecked(), { timeout: 20_000 }).toBe(true);
    expect(await workers.isDisabled()).toBe(true);

    await selectRows(page, 2, 21);
    await startFromSidebar(sidebar, 20);
    const finished = await waitForGrid(page, (rows) => {
      const status = gridColumn(rows, 'rowfill_status');
      return rows.slice(1, 21).filter((r) => r[status] === 'done').length === 20 ? rows : undefined;
    });
    const category = gridColumn(finished, 'Category');
    expect(finished.slice(1, 21).every((r) => (r[category] ?? '').length > 0)).toBe(true);
    await expect.poll(() => sidebar.locator('#job-state').textContent(), { timeout: 15_000 }).toBe('Finished: all 20 rows done.');
    // What the backend got: the job's config says auto, not a number.
    const [job] = await open.server.runtime.store.listJobs({ limit: 1 });
    expect(job?.config.workers).toBe('auto');
    await open.screenshot('workers-auto-done');

    // Off again: the Workers number is back in use.
    await auto.uncheck();
    expect(await workers.isDisabled()).toBe(false);
  });
});
