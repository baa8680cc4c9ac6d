// DataFilter matching: which developer metadata a lookup or a region selects, and which cells a filter selects.
import type { sheets_v4 } from '@googleapis/sheets';
import { invalidArgument } from './api-error.js';
import { gridRangeOf, locationOf, visibilityOf } from './api-json.js';
import type { DeveloperMetadataEntry, MetadataLocation } from './developer-metadata.js';
import type { GridBox, Workbook } from './workbook.js';

const LOCATION_TYPES: Readonly<Record<string, MetadataLocation['kind']>> = { SPREADSHEET: 'spreadsheet', SHEET: 'sheet', ROW: 'row', COLUMN: 'column' };

type FilterKind = 'lookup' | 'a1' | 'grid';

function kindOf(filter: sheets_v4.Schema$DataFilter, where: string): FilterKind {
  if (!filter || typeof filter !== 'object') throw invalidArgument(`Invalid ${where}: a data filter is required`);
  const kinds: FilterKind[] = [];
  if (filter.developerMetadataLookup) kinds.push('lookup');
  if (typeof filter.a1Range === 'string') kinds.push('a1');
  if (filter.gridRange) kinds.push('grid');
  const [kind] = kinds;
  if (kinds.length !== 1 || kind === undefined) throw invalidArgument(`Invalid ${where}: exactly one of developerMetadataLookup, a1Range or gridRange must be set`);
  return kind;
}

/** True when a and b touch: the same place, or one contains the other, or rows/columns that overlap. */
function intersects(a: MetadataLocation, b: MetadataLocation): boolean {
  if (a.kind === 'spreadsheet' || b.kind === 'spreadsheet') return true;
  if (a.sheetId !== b.sheetId) return false;
  if (a.kind === 'sheet' || b.kind === 'sheet') return true;
  return a.kind === b.kind ? a.index === b.index : true;
}

function sameLocation(a: MetadataLocation, b: MetadataLocation): boolean {
  if (a.kind !== b.kind) return false;
  if (a.kind === 'spreadsheet' || b.kind === 'spreadsheet') return true;
  if (a.sheetId !== b.sheetId) return false;
  return a.kind === 'sheet' || b.kind === 'sheet' ? true : a.index === b.index;
}

/** Entries matching every field the lookup sets (DeveloperMetadataLookup semantics). */
export function lookupMatches(workbook: Workbook, lookup: sheets_v4.Schema$DeveloperMetadataLookup, where: string): DeveloperMetadataEntry[] {
  const locationKind = lookup.locationType ? LOCATION_TYPES[lookup.locationType] : undefined;
  if (lookup.locationType && !locationKind) throw invalidArgument(`Invalid ${where}.location_type: ${lookup.locationType}`);
  const visibility = lookup.visibility ? visibilityOf(lookup.visibility, `${where}.visibility`) : undefined;
  const location = lookup.metadataLocation ? locationOf(lookup.metadataLocation, `${where}.metadata_location`) : undefined;
  const intersecting = lookup.locationMatchingStrategy === 'INTERSECTING_LOCATION';
  return workbook.metadata.list().filter(
    (e) =>
      (lookup.metadataId === undefined || lookup.metadataId === null || e.id === lookup.metadataId) &&
      (lookup.metadataKey === undefined || lookup.metadataKey === null || e.key === lookup.metadataKey) &&
      (lookup.metadataValue === undefined || lookup.metadataValue === null || e.value === lookup.metadataValue) &&
      (locationKind === undefined || e.location.kind === locationKind) &&
      (visibility === undefined || e.visibility === visibility) &&
      (location === undefined || (intersecting ? intersects(e.location, location) : sameLocation(e.location, location))),
  );
}

/** Entries on the tab, or on rows or columns crossing the box. */
function regionMatches(workbook: Workbook, box: GridBox): DeveloperMetadataEntry[] {
  return workbook.metadata.list().filter((e) => {
    const loc = e.location;
    if (loc.kind === 'spreadsheet' || loc.sheetId !== box.tab.sheetId) return false;
    if (loc.kind === 'sheet') return true;
    return loc.kind === 'row' ? loc.index >= box.startRow && loc.index < box.endRow : loc.index >= box.startColumn && loc.index < box.endColumn;
  });
}

function boxOfGridRange(workbook: Workbook, json: sheets_v4.Schema$GridRange, where: string): GridBox {
  const { sheetId, bounds } = gridRangeOf(json, where);
  return workbook.box(workbook.tab(sheetId), bounds);
}

/** The metadata a filter selects (developerMetadata.search, deleteDeveloperMetadata). */
export function metadataForFilter(workbook: Workbook, filter: sheets_v4.Schema$DataFilter, where: string): DeveloperMetadataEntry[] {
  switch (kindOf(filter, where)) {
    case 'lookup':
      return lookupMatches(workbook, filter.developerMetadataLookup ?? {}, `${where}.developer_metadata_lookup`);
    case 'a1':
      return regionMatches(workbook, workbook.resolve(filter.a1Range ?? ''));
    case 'grid':
      return regionMatches(workbook, boxOfGridRange(workbook, filter.gridRange ?? {}, `${where}.grid_range`));
  }
}

/** The cells a metadata entry stands for: its row, its column or its tab; none for the spreadsheet itself. */
function boxOfLocation(workbook: Workbook, location: MetadataLocation): GridBox | undefined {
  if (location.kind === 'spreadsheet') return undefined;
  const tab = workbook.findTab(location.sheetId);
  if (!tab) return undefined;
  if (location.kind === 'sheet') return workbook.box(tab, {});
  return location.kind === 'row'
    ? workbook.box(tab, { startRow: location.index, endRow: location.index + 1 })
    : workbook.box(tab, { startColumn: location.index, endColumn: location.index + 1 });
}

/** The rectangles a filter selects (values:batchGetByDataFilter): one per matched metadata entry, or the range itself. */
export function boxesForFilter(workbook: Workbook, filter: sheets_v4.Schema$DataFilter, where: string): GridBox[] {
  switch (kindOf(filter, where)) {
    case 'lookup':
      return lookupMatches(workbook, filter.developerMetadataLookup ?? {}, `${where}.developer_metadata_lookup`)
        .map((e) => boxOfLocation(workbook, e.location))
        .filter((b): b is GridBox => b !== undefined);
    case 'a1':
      return [workbook.resolve(filter.a1Range ?? '')];
    case 'grid':
      return [boxOfGridRange(workbook, filter.gridRange ?? {}, `${where}.grid_range`)];
  }
}
