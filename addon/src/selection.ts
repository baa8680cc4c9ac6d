// The user's selection as job rows: every range, header and rows past the data dropped, duplicates merged, hidden rows left out.
import { selectionLine, selectionProblem } from './messages.js';
import { clipSpans, countRows, mergeSpans, removeRows, spanA1, type RowSpan } from './row-spans.js';
import type { SelectionProblem, SelectionSummary } from './sidebar-api.js';

/** The backend takes at most this many ranges in one request. */
const MAX_RANGES = 2000;

function summary(spans: readonly RowSpan[], hiddenSkipped: number, problem: SelectionProblem | null, headerRow: number): SelectionSummary {
  const rows = countRows(spans);
  return {
    ranges: problem === null ? spans.map(spanA1) : [],
    rows: problem === null ? rows : 0,
    hiddenSkipped,
    problem,
    message: problem === null ? selectionLine(rows, hiddenSkipped) : selectionProblem(problem, headerRow),
  };
}

/**
 * What is selected as the user made it (tab, header row and raw A1 ranges): cheap to read, unlike readSelection,
 * which asks about every selected row's visibility. The sidebar polls this and reads the whole selection only when it changed.
 */
export function selectionKey(sheet: GoogleAppsScript.Spreadsheet.Sheet, headerRow: number): string {
  const list = sheet.getActiveRangeList();
  const ranges = list ? list.getRanges().filter((r) => r.getSheet().getSheetId() === sheet.getSheetId()) : [];
  return [sheet.getSheetId(), headerRow, ...ranges.map((r) => r.getA1Notation())].join('|');
}

/**
 * Reads the selection of `sheet`. Rows hidden by hand or by a filter are left out: they are not on screen, so the user
 * neither sees them selected nor expects to pay for them (see addon/README.md).
 */
export function readSelection(sheet: GoogleAppsScript.Spreadsheet.Sheet, headerRow: number): SelectionSummary {
  const list = sheet.getActiveRangeList();
  const ranges = list ? list.getRanges().filter((r) => r.getSheet().getSheetId() === sheet.getSheetId()) : [];
  if (ranges.length === 0) return summary([], 0, 'nothing_selected', headerRow);
  const selected = mergeSpans(ranges.map((r) => ({ first: r.getRow(), last: r.getLastRow() })));
  const belowHeader = clipSpans(selected, { first: headerRow + 1 });
  if (belowHeader.length === 0) return summary([], 0, 'header_only', headerRow);
  // Whole-column or whole-sheet selections reach the grid's end; rows past the last one with data are no work.
  const withData = clipSpans(belowHeader, { last: sheet.getLastRow() });
  if (withData.length === 0) return summary([], 0, 'empty_rows', headerRow);
  const filtered = sheet.getFilter() !== null;
  const { spans, removed } = removeRows(withData, (row) => sheet.isRowHiddenByUser(row) || (filtered && sheet.isRowHiddenByFilter(row)));
  if (spans.length === 0) return summary([], removed, 'all_hidden', headerRow);
  if (spans.length > MAX_RANGES) return summary([], removed, 'too_fragmented', headerRow);
  return summary(spans, removed, null, headerRow);
}
