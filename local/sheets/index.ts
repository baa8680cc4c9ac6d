// The Sheets stand-in in one import: the server, its workbook model, and a real client aimed at it.
export { startSheetsStandIn, type SheetsStandIn, type SheetsStandInOptions } from './server.js';
export { standInSheetsClient, type StandInClientOptions } from './client.js';
export type { SheetsStandInSettings, SheetsStandInSettingsPatch } from './settings.js';
export type { SheetsRequestLogEntry } from './request-log.js';
export { Workbook, type Role, type GridBox, type Bounds } from './workbook.js';
export type { SpreadsheetSpec, TabSpec, CellInput } from './workbooks.js';
export { Tab, type Dimension } from './tab.js';
export type { CellValue, Formula } from './cell-value.js';
export { METADATA_CHAR_LIMIT, type DeveloperMetadataEntry, type MetadataLocation } from './developer-metadata.js';
export { parseA1, formatA1, columnIndex, columnLetters, type A1Range } from './a1.js';
