// Converts between the model and the Sheets v4 JSON resources: metadata, locations, dimension and grid ranges, tab properties.
import type { sheets_v4 } from '@googleapis/sheets';
import { invalidArgument } from './api-error.js';
import type { DeveloperMetadataEntry, MetadataLocation, Visibility } from './developer-metadata.js';
import type { Dimension, Tab } from './tab.js';
import type { Bounds, Workbook } from './workbook.js';

export function locationJson(location: MetadataLocation): sheets_v4.Schema$DeveloperMetadataLocation {
  switch (location.kind) {
    case 'spreadsheet':
      return { locationType: 'SPREADSHEET', spreadsheet: true };
    case 'sheet':
      return { locationType: 'SHEET', sheetId: location.sheetId };
    default:
      return {
        locationType: location.kind === 'row' ? 'ROW' : 'COLUMN',
        dimensionRange: { sheetId: location.sheetId, dimension: location.kind === 'row' ? 'ROWS' : 'COLUMNS', startIndex: location.index, endIndex: location.index + 1 },
      };
  }
}

export function metadataJson(entry: DeveloperMetadataEntry): sheets_v4.Schema$DeveloperMetadata {
  return {
    metadataId: entry.id,
    metadataKey: entry.key,
    ...(entry.value !== undefined ? { metadataValue: entry.value } : {}),
    location: locationJson(entry.location),
    visibility: entry.visibility,
  };
}

export function tabPropertiesJson(tab: Tab): sheets_v4.Schema$SheetProperties {
  return {
    sheetId: tab.sheetId,
    title: tab.title,
    index: tab.index,
    sheetType: 'GRID',
    gridProperties: { rowCount: tab.rowCount, columnCount: tab.columnCount },
  };
}

export function dimensionOf(value: unknown, where: string): Dimension {
  if (value === 'ROWS' || value === 'COLUMNS') return value;
  throw invalidArgument(`Invalid value at '${where}' (${JSON.stringify(value)}): dimension must be ROWS or COLUMNS`);
}

function indexOf(value: unknown, where: string): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
    throw invalidArgument(`Invalid value at '${where}' (${JSON.stringify(value)}): expected a non-negative integer`);
  }
  return value;
}

export function sheetIdOf(value: unknown, where: string): number {
  // Sheet 0 is often sent as an absent field, as proto3 JSON leaves defaults out.
  return indexOf(value, where) ?? 0;
}

export interface DimensionSpan {
  readonly sheetId: number;
  readonly dimension: Dimension;
  readonly start: number | undefined;
  readonly end: number | undefined;
}

export function dimensionRangeOf(json: sheets_v4.Schema$DimensionRange | undefined, where: string): DimensionSpan {
  if (!json || typeof json !== 'object') throw invalidArgument(`Invalid ${where}: a range is required`);
  return {
    sheetId: sheetIdOf(json.sheetId, `${where}.sheet_id`),
    dimension: dimensionOf(json.dimension, `${where}.dimension`),
    start: indexOf(json.startIndex, `${where}.start_index`),
    end: indexOf(json.endIndex, `${where}.end_index`),
  };
}

export function gridRangeOf(json: sheets_v4.Schema$GridRange | undefined, where: string): { readonly sheetId: number; readonly bounds: Bounds } {
  if (!json || typeof json !== 'object') throw invalidArgument(`Invalid ${where}: a range is required`);
  return {
    sheetId: sheetIdOf(json.sheetId, `${where}.sheet_id`),
    bounds: {
      startRow: indexOf(json.startRowIndex, `${where}.start_row_index`),
      endRow: indexOf(json.endRowIndex, `${where}.end_row_index`),
      startColumn: indexOf(json.startColumnIndex, `${where}.start_column_index`),
      endColumn: indexOf(json.endColumnIndex, `${where}.end_column_index`),
    },
  };
}

/** A location as sent in createDeveloperMetadata: exactly one of spreadsheet, sheetId or a one-row/column dimensionRange. */
export function locationOf(json: sheets_v4.Schema$DeveloperMetadataLocation | undefined, where: string): MetadataLocation {
  if (!json || typeof json !== 'object') throw invalidArgument(`Invalid ${where}: a location is required`);
  const given = [json.spreadsheet === true, json.sheetId !== undefined && json.sheetId !== null, json.dimensionRange !== undefined].filter(Boolean).length;
  if (given !== 1) throw invalidArgument(`Invalid ${where}: exactly one of spreadsheet, sheetId or dimensionRange must be set`);
  if (json.spreadsheet === true) return { kind: 'spreadsheet' };
  if (json.dimensionRange === undefined) return { kind: 'sheet', sheetId: sheetIdOf(json.sheetId, `${where}.sheet_id`) };
  const span = dimensionRangeOf(json.dimensionRange, `${where}.dimension_range`);
  if (span.start === undefined || span.end === undefined || span.end - span.start !== 1) {
    throw invalidArgument(`Invalid ${where}.dimension_range: developer metadata must be on a single row or column, not an unbounded or wider range`);
  }
  return { kind: span.dimension === 'ROWS' ? 'row' : 'column', sheetId: span.sheetId, index: span.start };
}

export function visibilityOf(value: unknown, where: string): Visibility {
  if (value === 'DOCUMENT' || value === 'PROJECT') return value;
  throw invalidArgument(`Invalid ${where}: developer metadata must have visibility DOCUMENT or PROJECT`);
}

/** The spreadsheet resource: properties, every tab's properties and sheet-level metadata, document-level metadata. */
export function spreadsheetJson(workbook: Workbook, rootUrl: string): sheets_v4.Schema$Spreadsheet {
  const entries = workbook.metadata.list();
  const documentLevel = entries.filter((e) => e.location.kind === 'spreadsheet').map(metadataJson);
  return {
    spreadsheetId: workbook.id,
    properties: { title: workbook.title, locale: 'en_US', timeZone: 'Etc/GMT', autoRecalc: 'ON_CHANGE' },
    sheets: workbook.tabs.map((tab) => {
      const own = entries.filter((e) => e.location.kind === 'sheet' && e.location.sheetId === tab.sheetId).map(metadataJson);
      return { properties: tabPropertiesJson(tab), ...(own.length > 0 ? { developerMetadata: own } : {}) };
    }),
    ...(documentLevel.length > 0 ? { developerMetadata: documentLevel } : {}),
    spreadsheetUrl: `${rootUrl}spreadsheets/d/${workbook.id}/edit`,
  };
}
