// The estimate shown before anything is spent: rows, rows skipped as unchanged, cost range against the budget, and
// the filled cells an output would overwrite, which the user must agree to before Enrich is allowed.
import { money, moneyRange, plural } from '../src/format.js';
import { bothPrices, chosenCostHigh, overwriteWarning, rowsToEnrich } from '../src/messages.js';
import { overwritesOf, type EstimateResult } from '../src/sidebar-api.js';
import { byId, fillStats, show } from './dom.js';

const overwriteBox = () => byId('overwrite-box');
const overwriteCheck = () => byId<HTMLInputElement>('overwrite');

/** Asks whether to overwrite: from the estimate's numbers, or with the backend's own words after a 409 output_overwrite. */
export function askOverwrite(question: string): void {
  byId('overwrite-question').textContent = question;
  overwriteCheck().checked = false;
  show(overwriteBox(), true);
}

/** True when no overwrite is pending, or the user ticked "Overwrite them". */
export function overwriteAllowed(): boolean {
  return overwriteBox().hidden || overwriteCheck().checked;
}

/** The consent to send with the start: only when the question was asked and answered yes. */
export function overwriteConsent(): boolean {
  return !overwriteBox().hidden && overwriteCheck().checked;
}

/** `$0.02 – $0.07 (1–3 a row, up to 2 pages)`: the billed searches, which the cost range above already holds. */
function searchLine(estimate: EstimateResult['estimate']): string {
  const pages = estimate.maxPagesPerRow === 0 ? 'no pages' : `up to ${plural(estimate.maxPagesPerRow, 'page')}`;
  return `${moneyRange(estimate.searchCostLowUsd, estimate.searchCostHighUsd)} (${estimate.maxSearchesPerRow === 1 ? '1' : `1–${estimate.maxSearchesPerRow}`} a row, ${pages} read)`;
}

export function renderEstimate(result: EstimateResult | null): void {
  const box = byId('estimate-view');
  show(box, result !== null);
  show(overwriteBox(), false);
  overwriteCheck().checked = false;
  if (!result) return;
  const { estimate, budgetUsd, selection, mode } = result;
  fillStats(byId('estimate-stats'), [
    ['Selected', plural(selection.rows, 'row')],
    ['Model calls', plural(estimate.toRun, 'row')],
    ['Unchanged (skipped)', String(estimate.skippedUnchanged)],
    ...(estimate.reused > 0 ? [['From cache (free)', String(estimate.reused)] as const] : []),
    ...(estimate.invalid > 0 ? [['Empty inputs', String(estimate.invalid)] as const] : []),
    ['Estimated cost', estimate.priced ? bothPrices(estimate) : 'unknown (no price for this model)'],
    ...(estimate.maxSearchesPerRow > 0 ? [['Web searches (included)', searchLine(estimate)] as const] : []),
    ['Budget', money(budgetUsd)],
  ]);
  const note = byId('estimate-note');
  note.textContent =
    estimate.priced && chosenCostHigh(estimate, mode) > budgetUsd
      ? 'The budget is below the estimate: the job will pause when it is spent, and you can raise it to go on.'
      : rowsToEnrich(estimate) === 0
        ? 'Nothing to run: every selected row is unchanged since its last run.'
        : '';
  const overwrites = overwritesOf(estimate);
  if (overwrites.length > 0) askOverwrite(`${overwriteWarning(overwrites)}. Enriching replaces them with the model's answers.`);
}
