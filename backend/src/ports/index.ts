// The ports in one import: the interfaces the engine needs from the outside world.
export type * from './domain.js';
export { TERMINAL_ROW_STATUSES, ZERO_USAGE } from './domain.js';
export type * from './store.js';
export type * from './queue.js';
export type * from './clock.js';
export type * from './model.js';
export type * from './sheet.js';
export type * from './logger.js';
export type * from './spreadsheet.js';
export type * from './sheets-quota.js';
export type * from './search.js';
export type * from './pages.js';
export type * from './batch.js';
export { TERMINAL_BATCH_STATUSES } from './batch.js';
export { SheetAccessError } from './spreadsheet.js';
export { silentLogger } from './logger.js';
