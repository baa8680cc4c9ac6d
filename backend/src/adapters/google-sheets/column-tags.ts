// The developer metadata that marks Rowfill's columns (id, status, error, cost, one per output) and finds them wherever they moved.
import type { sheets_v4 } from '@googleapis/sheets';

export const COLUMN_KEY = 'rowfill.column';
export const PROOF_KEY = 'rowfill.proof';
export const ID_HEADER = 'rowfill_id';
export const STATUS_HEADER = 'rowfill_status';
export const ERROR_HEADER = 'rowfill_error';
export const COST_HEADER = 'rowfill_cost_usd';

export const ID_TAG = 'id';
export const STATUS_TAG = 'status';
export const ERROR_TAG = 'error';
export const COST_TAG = 'cost';
export function outputTag(name: string): string {
  return `output:${name}`;
}

/** Tag value → current 0-based column index, for one tab. */
export type TaggedColumns = ReadonlyMap<string, number>;

/** The lookup that finds every tagged column of the spreadsheet (filtered to one tab afterwards). */
export const COLUMN_TAG_FILTER: sheets_v4.Schema$DataFilter = { developerMetadataLookup: { metadataKey: COLUMN_KEY, locationType: 'COLUMN' } };

/**
 * This tab's tagged columns from a metadata search. Should a tag appear twice (a copied column), the oldest entry
 * (lowest id) wins, so the answer does not flip between calls.
 */
export function taggedColumns(response: sheets_v4.Schema$SearchDeveloperMetadataResponse, sheetId: number): TaggedColumns {
  const found = new Map<string, { index: number; id: number }>();
  for (const match of response.matchedDeveloperMetadata ?? []) {
    const meta = match.developerMetadata;
    const range = meta?.location?.dimensionRange;
    if (!meta || meta.metadataKey !== COLUMN_KEY || typeof meta.metadataValue !== 'string' || !range) continue;
    if ((range.sheetId ?? 0) !== sheetId || range.dimension !== 'COLUMNS' || typeof range.startIndex !== 'number') continue;
    const id = meta.metadataId ?? Number.MAX_SAFE_INTEGER;
    const seen = found.get(meta.metadataValue);
    if (!seen || id < seen.id) found.set(meta.metadataValue, { index: range.startIndex, id });
  }
  return new Map([...found].map(([tag, { index }]) => [tag, index]));
}

/** A createDeveloperMetadata request tagging one column; DOCUMENT visibility so the add-on can see it too. */
export function tagColumnRequest(sheetId: number, column: number, tag: string): sheets_v4.Schema$Request {
  return {
    createDeveloperMetadata: {
      developerMetadata: {
        metadataKey: COLUMN_KEY,
        metadataValue: tag,
        visibility: 'DOCUMENT',
        location: { dimensionRange: { sheetId, dimension: 'COLUMNS', startIndex: column, endIndex: column + 1 } },
      },
    },
  };
}
