// The sidebar and the playground page as a user meets them (issue 9): the estimate follows the selection, notices are
// toasts, output cards fold, unknown models and overwritten columns are asked about, and the page works by keyboard.
import type { Locator } from 'playwright-core';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_MODELS } from '../../../local/openai/settings.js';
import { chromiumAvailable, closeBrowser, openPlayground, type BrowserPlayground } from '../../helpers/browser-harness.js';
import { gridColumn, selectRows, setUpSidebar, startFromSidebar, statusCounts, waitForGrid } from './playground-steps.js';

let open: BrowserPlayground | undefined;

/** Which output cards are unfolded, in order. */
async function openCards(cards: Locator): Promise<boolean[]> {
  return Promise.all((await cards.all()).map(async (card) => (await card.getAttribute('open')) !== null));
}

afterEach(async ({ task }) => {
  if (task.result?.state === 'fail') await open?.screenshot(`failed-${task.name.slice(0, 40).replace(/\W+/g, '-')}`).catch(() => undefined);
  await open?.close();
  open = undefined;
});
afterAll(closeBrowser);

describe.skipIf(!chromiumAvailable())('the sidebar in Chromium', { timeout: 180_000 }, () => {
  it('drops the estimate when the selection changes or an estimate fails, so Enrich never runs rows it did not show', async () => {
    open = await openPlayground();
    const { page, sidebar } = open;
    await selectRows(page, 30, 33);
    await setUpSidebar(sidebar, { workers: 8, budgetUsd: 0.5 });
    const estimate = sidebar.getByRole('button', { name: 'Estimate selected rows' });
    const start = sidebar.locator('#start');
    await estimate.click();
    await expect.poll(() => start.textContent(), { timeout: 20_000 }).toBe('Enrich 4 rows');

    await selectRows(page, 40, 60);
    // The sidebar notices the new selection by itself: the old estimate goes, the count follows.
    await expect.poll(() => sidebar.locator('#selection-line').textContent(), { timeout: 15_000 }).toBe('21 rows selected.');
    expect(await start.textContent()).toBe('Enrich selected rows');
    expect(await start.isDisabled()).toBe(true);
    await expect.poll(() => sidebar.locator('#estimate-view').isVisible()).toBe(false);

    await estimate.click();
    await expect.poll(() => start.textContent(), { timeout: 20_000 }).toBe('Enrich 21 rows');
    // A failed estimate leaves no estimate behind, and says what is selected now.
    await page.locator('button.row-head[data-row="1"]').click();
    await expect.poll(() => page.locator('#selection').textContent()).toBe('Selected: 1:1');
    await estimate.click();
    await expect.poll(() => sidebar.locator('#status').textContent(), { timeout: 20_000 }).toContain('Only the header row (row 1) is selected.');
    expect(await start.isDisabled()).toBe(true);
    expect(await start.textContent()).toBe('Enrich selected rows');
    expect(await sidebar.locator('#selection-line').textContent()).toContain('Only the header row');
    await open.screenshot('estimate-follows-selection');
  });

  it('shows one title, folds output cards to their name and type, and keeps the panel short', async () => {
    open = await openPlayground();
    const { page, sidebar } = open;
    await expect.poll(() => sidebar.locator('#settings-form').isVisible()).toBe(true);
    // Sheets titles the sidebar "Rowfill" already.
    expect(await sidebar.locator('h1').count()).toBe(0);
    await selectRows(page, 2, 11);
    await setUpSidebar(sidebar, { workers: 8, budgetUsd: 0.5 });
    const names = ['Founded', 'Headquarters', 'Segment', 'Employees'];
    for (const [i, name] of names.entries()) {
      await sidebar.getByRole('button', { name: 'Add output column' }).click();
      await sidebar.locator(`[id="outputs.${i + 1}.name"]`).fill(name);
      await sidebar.locator(`[id="outputs.${i + 1}.instruction"]`).fill(`The brand's ${name.toLowerCase()}`);
    }
    await sidebar.locator('[id="outputs.4.type"]').selectOption('number');
    // Adding a column opens it and folds the others, each showing its name and type.
    const cards = sidebar.locator('#output-list > li > details');
    await expect.poll(() => cards.count()).toBe(5);
    expect(await openCards(cards)).toEqual([false, false, false, false, true]);
    expect(await sidebar.locator('#output-list summary').first().textContent()).toContain('Category · Text');
    expect(await sidebar.locator('#output-list summary').last().textContent()).toContain('Employees · Number');
    await sidebar.getByRole('button', { name: 'Save settings' }).click();
    await expect.poll(() => sidebar.locator('#status').textContent()).toBe('Settings saved for this tab.');

    await page.reload();
    await expect.poll(() => cards.count(), { timeout: 20_000 }).toBe(5);
    expect(await openCards(cards)).toEqual([false, false, false, false, false]);
    const frame = page.frames().find((f) => f.url().endsWith('/sidebar'));
    const height = await frame?.evaluate<number>('document.body.scrollHeight');
    expect(height ?? Number.POSITIVE_INFINITY).toBeLessThan(1300);
    // A field error opens the card it is in.
    await sidebar.locator('#output-list summary').nth(2).click();
    await sidebar.locator('[id="outputs.2.instruction"]').fill('');
    await sidebar.locator('#output-list summary').nth(2).click();
    await sidebar.getByRole('button', { name: 'Save settings' }).click();
    await expect.poll(() => openCards(cards)).toEqual([false, false, true, false, false]);
    await open.screenshot('output-cards-folded');
  });

  it('says "Re-running" from the menu in a toast, not in an alert', async () => {
    open = await openPlayground();
    const { page, sidebar, standIn } = open;
    standIn.configure({ seed: 3, faults: { contentFilter: 0.3 } });
    await selectRows(page, 2, 21);
    await setUpSidebar(sidebar, { workers: 8, budgetUsd: 0.5 });
    await startFromSidebar(sidebar, 20);
    await expect.poll(() => sidebar.locator('#job-state').textContent(), { timeout: 60_000 }).toMatch(/^Finished with \d+ failed rows?\.$/);
    standIn.configure({ faults: { contentFilter: 0 } });
    await page.getByRole('button', { name: 'Re-run failed rows', exact: true }).click();
    await expect.poll(() => page.locator('#alerts li').first().textContent(), { timeout: 20_000 }).toMatch(/^Toast · Rowfill Re-running \d+ failed rows?\./);
    await expect.poll(() => page.locator('#alerts li').first().getAttribute('class')).toBe('toast');
    await open.screenshot('toast-rerun');
  });

  it('works by keyboard: one tab stop for the grid, arrows and Space select rows, the alerts are reachable', async () => {
    open = await openPlayground();
    const { page } = open;
    await expect.poll(() => page.locator('#grid tbody tr').count(), { timeout: 20_000 }).toBeGreaterThan(100);
    // The focused element as tag#id[row] (the test's tsconfig has no DOM types, so the script is a string).
    const focused = () => page.evaluate<string>("(() => { const a = document.activeElement; return a ? `${a.tagName.toLowerCase()}#${a.id}${a.dataset && a.dataset.row ? `[${a.dataset.row}]` : ''}` : ''; })()");
    const stops: string[] = [];
    for (let i = 0; i < 25 && !stops.includes('iframe#sidebar'); i++) {
      await page.keyboard.press('Tab');
      stops.push(await focused());
    }
    // The menu and edit buttons, the grid once, the alerts, then the sidebar.
    expect(stops).toContain('iframe#sidebar');
    expect(stops.length).toBeLessThanOrEqual(12);
    expect(stops.filter((s) => s.startsWith('button#') && s.includes('['))).toHaveLength(1);
    expect(stops).toContain('ol#alerts');

    const grid = page.locator('button.row-head[tabindex="0"]');
    await grid.focus();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Space');
    const row = Number(/\[(\d+)\]$/.exec(await focused())?.[1]);
    await expect.poll(() => page.locator('#selection').textContent()).toBe(`Selected: ${row}:${row}`);
    await page.keyboard.press('Shift+ArrowDown');
    await page.keyboard.press('Shift+ArrowDown');
    await expect.poll(() => page.locator('#selection').textContent()).toBe(`Selected: ${row}:${row + 2}`);
    // The focus stays on the grid through its redraws.
    await page.waitForTimeout(1500);
    expect(await focused()).toBe(`button#[${row + 2}]`);
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('#selection').textContent()).toBe(`Selected: ${row + 3}:${row + 3}`);
    await open.screenshot('keyboard-grid');
  });

  it('lets an unknown model be fixed in the sidebar: the error sits on Model, and a price per 1M tokens makes it run', async () => {
    open = await openPlayground();
    const { page, sidebar, standIn } = open;
    // The provider serves gpt-9; only Rowfill has no price for it.
    standIn.configure({ models: [...DEFAULT_MODELS, 'gpt-9'] });
    await selectRows(page, 2, 6);
    await setUpSidebar(sidebar, { workers: 4, budgetUsd: 0.5 });
    const model = sidebar.getByLabel('Model', { exact: true });
    await model.fill('gpt-9');
    await expect.poll(() => sidebar.getByLabel('Input price (USD per 1M tokens)').isVisible()).toBe(true);
    await sidebar.getByRole('button', { name: 'Estimate selected rows' }).click();
    await expect.poll(() => sidebar.locator('[id="model-error"]').textContent(), { timeout: 20_000 }).toMatch(/no price is known for "gpt-9"/);
    expect(await model.getAttribute('aria-invalid')).toBe('true');
    expect(await sidebar.locator('#status').textContent()).not.toMatch(/prices config|without a budget/);
    await open.screenshot('unknown-model');

    await sidebar.getByLabel('Input price (USD per 1M tokens)').fill('1');
    await sidebar.getByLabel('Output price (USD per 1M tokens)').fill('4');
    await startFromSidebar(sidebar, 5);
    await waitForGrid(page, (rows) => ((statusCounts(rows).done ?? 0) === 5 ? true : undefined));
    await expect.poll(() => sidebar.locator('#job-stats').textContent(), { timeout: 20_000 }).toMatch(/Spent\$0\.0\d+ of \$0\.50/);
  });

  it('asks before an output overwrites a filled column, and overwrites only once the user says so', async () => {
    open = await openPlayground();
    const { page, sidebar } = open;
    await selectRows(page, 2, 11);
    await sidebar.getByRole('checkbox', { name: /^Brand/ }).check();
    await sidebar.getByRole('button', { name: 'Add output column' }).click();
    // An output named like the filled Country column; a number, so what the model writes cannot look like the old text.
    await sidebar.locator('[id="outputs.0.name"]').fill('Country');
    await sidebar.locator('[id="outputs.0.type"]').selectOption('number');
    await sidebar.locator('[id="outputs.0.instruction"]').fill('Year the brand was founded');
    await sidebar.getByRole('button', { name: 'Estimate selected rows' }).click();
    const question = sidebar.locator('#overwrite-question');
    await expect.poll(() => question.textContent(), { timeout: 20_000 }).toContain('Country already has 10 filled cells');
    const start = sidebar.locator('#start');
    expect(await start.isDisabled()).toBe(true);
    await open.screenshot('overwrite-question');
    const before = await waitForGrid(page, (r) => r);
    const country = gridColumn(before, 'Country');
    await sidebar.getByRole('checkbox', { name: 'Overwrite them' }).check();
    expect(await start.isDisabled()).toBe(false);
    await start.click();
    const rows = await waitForGrid(page, (r) => ((statusCounts(r).done ?? 0) === 10 ? r : undefined));
    expect(gridColumn(rows, 'Country')).toBe(country);
    for (let r = 1; r <= 10; r++) expect(rows[r]?.[country]).toMatch(/^-?\d/);
    // Outside the selection the user's data stays.
    expect(rows[11]?.[country]).toBe(before[11]?.[country]);
  });

  it('shows the backend\'s 409 output_overwrite as the overwrite question when the column filled up after the estimate', async () => {
    open = await openPlayground();
    const { page, sidebar, playground } = open;
    await selectRows(page, 2, 4);
    await sidebar.getByRole('checkbox', { name: /^Brand/ }).check();
    await sidebar.getByRole('button', { name: 'Add output column' }).click();
    await sidebar.locator('[id="outputs.0.name"]').fill('Segment');
    await sidebar.locator('[id="outputs.0.instruction"]').fill('Market segment');
    await sidebar.getByRole('button', { name: 'Estimate selected rows' }).click();
    const start = sidebar.locator('#start');
    await expect.poll(() => start.textContent(), { timeout: 20_000 }).toBe('Enrich 3 rows');
    expect(await sidebar.locator('#overwrite-box').isVisible()).toBe(false);
    // A colleague adds a Segment column of their own before the user clicks Enrich.
    playground.workbook.setValues('D1:D3', [['Segment'], ['outdoor'], ['sport']]);
    await start.click();
    await expect.poll(() => sidebar.locator('#overwrite-box').isVisible(), { timeout: 20_000 }).toBe(true);
    expect(await sidebar.locator('#overwrite-question').textContent()).toMatch(/Segment/);
    expect(await start.isDisabled()).toBe(true);
    expect(await sidebar.locator('#overwrite:focus').count()).toBe(1);
    await open.screenshot('overwrite-409');
    await sidebar.getByRole('checkbox', { name: 'Overwrite them' }).check();
    await start.click();
    await expect.poll(() => sidebar.locator('#status').textContent(), { timeout: 20_000 }).toBe('Started: 3 rows queued.');
    const rows = await waitForGrid(page, (r) => ((statusCounts(r).done ?? 0) === 3 ? r : undefined));
    expect(rows[1]?.[gridColumn(rows, 'Segment')]).not.toBe('outdoor');
  });
});
