// What a user does in the playground, as steps the browser tests share: select rows, fill the sidebar, start, read the grid.
import type { FrameLocator, Page } from 'playwright-core';
import { expect } from 'vitest';

/** The grid as the page shows it: row 1 (the header) first, cell text only (a row's text is its cells, tab-separated). */
export async function gridRows(page: Page): Promise<string[][]> {
  const rows = await page.locator('#grid tbody tr').allInnerTexts();
  return rows.map((text) => text.split('\t').slice(1).map((cell) => cell.trim()));
}

/** The index of a header, or -1. */
export function gridColumn(rows: readonly (readonly string[])[], name: string): number {
  return rows[0]?.indexOf(name) ?? -1;
}

/** Polls the grid until `until` returns something other than undefined, and returns that. */
export async function waitForGrid<T>(page: Page, until: (rows: string[][]) => T | undefined, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: string[][] = [];
  while (Date.now() < deadline) {
    last = await gridRows(page);
    const value = until(last);
    if (value !== undefined) return value;
    await page.waitForTimeout(200);
  }
  // The counts cover every row (the column below is cut at 120), so a stray status past the cut still shows.
  throw new Error(
    `The grid never got there; its ${Math.max(0, last.length - 1)} rows last read ${JSON.stringify(statusCounts(last))}, the status column: ${JSON.stringify(last.map((r) => r[gridColumn(last, 'rowfill_status')] ?? '').slice(0, 120))}`,
  );
}

/** Click a row number, shift-click another: the rows between go to the add-on as the selection. */
export async function selectRows(page: Page, from: number, to: number): Promise<void> {
  await page.locator(`button.row-head[data-row="${from}"]`).click();
  await page.locator(`button.row-head[data-row="${to}"]`).click({ modifiers: ['Shift'] });
  await expect.poll(() => page.locator('#selection').textContent()).toBe(`Selected: ${from}:${to}`);
}

export interface SidebarSetup {
  readonly workers: number;
  readonly budgetUsd: number;
}

/** Inputs Brand and Country, one output Category, then workers and budget, as a user fills the sidebar. */
export async function setUpSidebar(sidebar: FrameLocator, setup: SidebarSetup): Promise<void> {
  await sidebar.getByRole('checkbox', { name: /^Brand/ }).check();
  await sidebar.getByRole('checkbox', { name: /^Country/ }).check();
  await sidebar.getByRole('button', { name: 'Add output column' }).click();
  await sidebar.locator('[id="outputs.0.name"]').fill('Category');
  await sidebar.locator('[id="outputs.0.instruction"]').fill('The main product category');
  await sidebar.getByLabel('Workers').fill(String(setup.workers));
  await sidebar.getByLabel('Budget (USD)').fill(String(setup.budgetUsd));
}

/** Estimate, check the estimate names the rows, then start. */
export async function startFromSidebar(sidebar: FrameLocator, rows: number): Promise<void> {
  await sidebar.getByRole('button', { name: 'Estimate selected rows' }).click();
  const start = sidebar.locator('#start');
  await expect.poll(() => start.textContent(), { timeout: 20_000 }).toBe(`Enrich ${rows} rows`);
  await start.click();
  await expect.poll(() => sidebar.locator('#status').textContent(), { timeout: 20_000 }).toBe(`Started: ${rows} rows queued.`);
}

/** How many rows of the grid (header excluded) show each rowfill_status. */
export function statusCounts(rows: readonly (readonly string[])[]): Record<string, number> {
  const status = gridColumn(rows, 'rowfill_status');
  const counts: Record<string, number> = {};
  if (status < 0) return counts;
  for (const row of rows.slice(1)) {
    const value = row[status] ?? '';
    if (value !== '') counts[value] = (counts[value] ?? 0) + 1;
  }
  return counts;
}

/** A menu item of Extensions → Rowfill, as the page's button; waits for the add-on's answer. */
export async function clickMenu(page: Page, item: string): Promise<void> {
  const button = page.getByRole('group', { name: 'Extensions → Rowfill' }).getByRole('button', { name: item, exact: true });
  await button.click();
  await expect.poll(() => button.isDisabled()).toBe(false);
}
