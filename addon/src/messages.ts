// Every sentence the add-on shows in an alert or returns to the sidebar, in one place (pure).
import { overwritesOf, type EstimateView, type JobView, type SelectionProblem } from './sidebar-api.js';
import { money, moneyRange, plural } from './format.js';
import { BACKEND_URL_PROPERTY } from './property-names.js';

export const TITLE = 'Rowfill';

export const SETUP_NEEDED =
  `Rowfill is not connected to its backend yet. In the Apps Script editor open Project Settings → Script properties ` +
  `and set ${BACKEND_URL_PROPERTY} to the backend's URL (for example https://rowfill-abc123-uc.a.run.app).`;

export function selectionProblem(problem: SelectionProblem, headerRow: number): string {
  switch (problem) {
    case 'nothing_selected':
      return 'Select the rows to enrich first: click a row number, then shift-click or Ctrl/⌘-click to add rows or ranges.';
    case 'header_only':
      return `Only the header row (row ${headerRow}) is selected. Select the data rows below it.`;
    case 'empty_rows':
      return 'The selected rows are empty: they are below the last row with data.';
    case 'all_hidden':
      return 'Every selected row is hidden or filtered out, and Rowfill skips hidden rows. Show them, or select visible rows.';
    case 'too_fragmented':
      return 'The selection is split into too many pieces (over 2,000 separate ranges). Select fewer, larger ranges.';
  }
}

export function selectionLine(rows: number, hiddenSkipped: number): string {
  const hidden = hiddenSkipped > 0 ? ` (${plural(hiddenSkipped, 'hidden row')} left out)` : '';
  return `${plural(rows, 'row')} selected${hidden}.`;
}

export function selectionChanged(now: string): string {
  return `The selection changed since the estimate (now: ${now.replace(/\.$/, '')}). Estimate again, then enrich.`;
}

/** `Website already has 370 filled cells`, one clause per column an output would overwrite. */
export function overwriteWarning(overwrites: readonly { readonly column: string; readonly filledCells: number }[]): string {
  return overwrites.map((o) => `${o.column} already has ${plural(o.filledCells, 'filled cell')}`).join('; ');
}

export const NO_SETTINGS = 'Rowfill does not know what to fill in on this sheet yet. Choose input and output columns in the sidebar (opening it now), then try again.';

export function invalidSettings(problems: readonly string[]): string {
  return `The sheet's Rowfill settings need fixing in the sidebar (opening it now):\n• ${problems.join('\n• ')}`;
}

export function unreachable(url: string, detail: string): string {
  return `Rowfill's backend at ${url} cannot be reached right now (${detail}). Check your connection and the ${BACKEND_URL_PROPERTY} script property, then try again.`;
}

export function progressLine(job: JobView): string {
  const c = job.counts;
  return `${c.done + c.skipped} of ${plural(c.total, 'row')} done${c.failed > 0 ? `, ${c.failed} failed` : ''}`;
}

export function alreadyRunning(job: JobView | null): string {
  const where = job ? ` (${progressLine(job)})` : '';
  return `A Rowfill job is already running on this sheet${where}. Wait for it to finish, or use Extensions → Rowfill → Cancel running job.`;
}

/** Rows a start would touch: all but those skipped as unchanged (cached answers are still written). */
export function rowsToEnrich(estimate: EstimateView): number {
  return estimate.rows - estimate.skippedUnchanged;
}

/** The cost range of the chosen Speed: the Batch API's prices in cheap mode. */
export function chosenCostHigh(estimate: EstimateView, mode: 'fast' | 'cheap'): number {
  return mode === 'cheap' ? estimate.cheapCostHighUsd : estimate.costHighUsd;
}

/**
 * `Fast $0.01–$0.05 · Cheap $0.0050–$0.02`: both prices of the selection, whichever Speed is chosen, so the choice is
 * made knowing what it saves. A research job runs fast only, so it has one price.
 */
export function bothPrices(estimate: EstimateView): string {
  const fast = moneyRange(estimate.costLowUsd, estimate.costHighUsd);
  if (estimate.maxSearchesPerRow > 0) return fast;
  return `Fast ${fast} · Cheap ${moneyRange(estimate.cheapCostLowUsd, estimate.cheapCostHighUsd)}`;
}

export function confirmStart(estimate: EstimateView, budgetUsd: number, mode: 'fast' | 'cheap' = 'fast'): string {
  const lines = [`Enrich ${plural(rowsToEnrich(estimate), 'row')} with ${estimate.model}?`];
  const overwrites = overwritesOf(estimate);
  if (overwrites.length > 0) lines.push(`${overwriteWarning(overwrites)}: OK overwrites them with the answers.`);
  if (estimate.skippedUnchanged > 0) lines.push(`${plural(estimate.skippedUnchanged, 'row')} unchanged since the last run will be skipped.`);
  if (estimate.reused > 0) lines.push(`${plural(estimate.reused, 'row')} already answered before will be filled from the cache at no cost.`);
  if (estimate.invalid > 0) lines.push(`${plural(estimate.invalid, 'row')} cannot run (empty inputs) and will be marked failed.`);
  const worst = mode === 'cheap' ? estimate.cheapWorstCaseUsd : estimate.worstCaseUsd;
  lines.push(estimate.priced ? `Estimated cost: ${bothPrices(estimate)} (${mode === 'cheap' ? 'Cheap' : 'Fast'} chosen: at most ${money(worst)}).` : 'This model has no known price; cost cannot be estimated.');
  if (mode === 'cheap') lines.push('Cheap: the rows go to the Batch API; results arrive within 24 hours.');
  if (estimate.maxSearchesPerRow > 0) {
    lines.push(`Research the web: 1–${estimate.maxSearchesPerRow} searches a row (${moneyRange(estimate.searchCostLowUsd, estimate.searchCostHighUsd)}, included above); sources go in rowfill_sources.`);
  }
  lines.push(`Budget: ${money(budgetUsd)}${estimate.priced && chosenCostHigh(estimate, mode) > budgetUsd ? ' — below the estimate, so the job will pause when it is spent; raise it in the sidebar to resume.' : '.'}`);
  if (estimate.simulated) lines.push('The backend is using a simulated model: answers are made up, nothing is spent.');
  return lines.join('\n');
}

export function started(job: JobView): string {
  return `Rowfill is enriching ${plural(job.counts.total, 'row')}. Watch the status column, or the sidebar for progress.`;
}

export const NO_JOB = 'No Rowfill job has run on this sheet yet.';
export const CANCELLED_NO_RERUN = 'The latest job on this sheet was cancelled, so its rows cannot be re-run. Select the rows and choose Enrich selected rows to start again.';
export const NOT_RUNNING = 'No Rowfill job is running on this sheet.';

export function noFailedRows(job: JobView): string {
  return `The latest job on this sheet has no failed rows (${progressLine(job)}).`;
}

export function requeued(n: number): string {
  return n === 0 ? 'There were no failed rows to re-run.' : `Re-running ${plural(n, 'failed row')}.`;
}

export function cancelled(job: JobView): string {
  return `Cancelled. Nothing more will be spent (${progressLine(job)}, ${money(job.spentUsd)} spent).`;
}

export function notShared(serviceAccount: string | null): string {
  return serviceAccount
    ? `Rowfill cannot open this spreadsheet yet. Share it with ${serviceAccount} as an editor (Share → add that address → Editor), then check again.`
    : 'Rowfill cannot open this spreadsheet yet. Share it as an editor with the service account your administrator gave you, then check again.';
}

export function shared(serviceAccount: string | null): string {
  return serviceAccount ? `Rowfill can open this spreadsheet (shared with ${serviceAccount}).` : 'Rowfill can open this spreadsheet.';
}
