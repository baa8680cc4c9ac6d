// The file-sheet adapter's public surface: read CSV/XLSX tables, find columns, write enriched copies.
export { openTable } from './open-table.js';
export type { OpenTableOptions, Table, TableRow } from './table.js';
export type { TableFormat } from './file-format.js';
export { resolveColumns } from './columns.js';
export { writeEnrichedTable } from './write-enriched-table.js';
export { DEFAULT_BATCH_SIZE, type WriteEnrichedTableOptions, type WriteEnrichedTableResult } from './write-options.js';
export type { AppendedValue, ResultLookup } from './result-lookup.js';
export { capCell, CELL_CHAR_LIMIT, CUT_MARKER, XLSX_CELL_CHAR_LIMIT } from './cell-cap.js';
export { defaultOutPath } from './out-path.js';
export { FileSheetError, type FileSheetErrorCode } from './errors.js';
