// The Google Sheets adapter in one import: the gateway, its options, and the names it gives columns and metadata.
export { GoogleSheetsGateway } from './google-sheets-gateway.js';
export { InProcessSheetsQuota, type InProcessSheetsQuotaOptions } from './in-process-quota.js';
export type { GoogleSheetsGatewayOptions } from './options.js';
export { GoogleSheetsResultSink } from './result-sink.js';
export { COLUMN_KEY, PROOF_KEY, ID_HEADER, STATUS_HEADER } from './column-tags.js';
export { proofHash } from './proof.js';
export { CELL_CHAR_LIMIT, CUT_MARKER } from './cell-text.js';
