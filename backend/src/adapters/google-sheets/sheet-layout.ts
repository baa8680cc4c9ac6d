// Where things are on a tab right now: the spreadsheet and tab titles, the grid size, and Rowfill's tagged columns.
import type { sheets_v4 } from '@googleapis/sheets';
import { SheetAccessError, type SheetRef } from '../../ports/spreadsheet.js';
import { COLUMN_TAG_FILTER, taggedColumns, type TaggedColumns } from './column-tags.js';
import { PROOF_FILTER, proofIn, type ProofLookup } from './proof.js';

export interface SheetLayout {
  readonly spreadsheetTitle: string;
  readonly sheetTitle: string;
  readonly rowCount: number;
  readonly columnCount: number;
  readonly tagged: TaggedColumns;
  /** The proof entries, when a nonce was given: a job start finds them in the same search as the tagged columns. */
  readonly proof?: ProofLookup;
}

const LAYOUT_FIELDS = 'properties.title,sheets.properties(sheetId,title,gridProperties(rowCount,columnCount))';

/**
 * Two reads: the spreadsheet's properties (titles, grid sizes) and a search for the tagged columns — and for the proof
 * entries when `proofNonce` is given (a search answers every filter it is given in one request).
 */
export async function readLayout(sheets: sheets_v4.Sheets, ref: SheetRef, proofNonce?: string): Promise<SheetLayout> {
  const dataFilters = proofNonce === undefined ? [COLUMN_TAG_FILTER] : [COLUMN_TAG_FILTER, PROOF_FILTER];
  const [spreadsheet, search] = await Promise.all([
    sheets.spreadsheets.get({ spreadsheetId: ref.spreadsheetId, fields: LAYOUT_FIELDS }),
    sheets.spreadsheets.developerMetadata.search({ spreadsheetId: ref.spreadsheetId, requestBody: { dataFilters } }),
  ]);
  const spreadsheetTitle = spreadsheet.data.properties?.title ?? '';
  const tab = spreadsheet.data.sheets?.find((s) => (s.properties?.sheetId ?? 0) === ref.sheetId)?.properties;
  if (!tab) {
    throw new SheetAccessError('not_found', `Spreadsheet "${spreadsheetTitle}" has no tab with id ${ref.sheetId}; it may have been deleted.`);
  }
  return {
    spreadsheetTitle,
    sheetTitle: tab.title ?? '',
    rowCount: tab.gridProperties?.rowCount ?? 0,
    columnCount: tab.gridProperties?.columnCount ?? 0,
    tagged: taggedColumns(search.data, ref.sheetId),
    ...(proofNonce === undefined ? {} : { proof: proofIn(search.data, proofNonce) }),
  };
}
