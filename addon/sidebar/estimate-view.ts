// The estimate shown before anything is spent: rows, rows skipped as unchanged, cost range against the budget.
import { money, moneyRange, plural } from '../src/format.js';
import { rowsToEnrich } from '../src/messages.js';
import type { EstimateResult } from '../src/sidebar-api.js';
import { byId, fillStats, show } from './dom.js';

export function renderEstimate(result: EstimateResult | null): void {
  const box = byId('estimate-view');
  show(box, result !== null);
  if (!result) return;
  const { estimate, budgetUsd, selection } = result;
  fillStats(byId('estimate-stats'), [
    ['Selected', plural(selection.rows, 'row')],
    ['Model calls', plural(estimate.toRun, 'row')],
    ['Unchanged (skipped)', String(estimate.skippedUnchanged)],
    ...(estimate.reused > 0 ? [['From cache (free)', String(estimate.reused)] as const] : []),
    ...(estimate.invalid > 0 ? [['Empty inputs', String(estimate.invalid)] as const] : []),
    ['Estimated cost', estimate.priced ? moneyRange(estimate.costLowUsd, estimate.costHighUsd) : 'unknown (no price for this model)'],
    ['Budget', money(budgetUsd)],
  ]);
  const note = byId('estimate-note');
  note.textContent =
    estimate.priced && estimate.costHighUsd > budgetUsd
      ? 'The budget is below the estimate: the job will pause when it is spent, and you can raise it to go on.'
      : rowsToEnrich(estimate) === 0
        ? 'Nothing to run: every selected row is unchanged since its last run.'
        : '';
}
