// The gateway's options: what each means, its default, and the checks that reject a bad value at construction.
import type { sheets_v4 } from '@googleapis/sheets';
import type { Clock } from '../../ports/clock.js';
import type { SheetsQuota } from '../../ports/sheets-quota.js';
import { systemClock } from '../system-clock/system-clock.js';
import { randomRowId } from './row-ids.js';

export interface GoogleSheetsGatewayOptions {
  /** A Sheets v4 client from @googleapis/sheets, authenticated as the service account (or aimed at the local stand-in). */
  readonly sheets: sheets_v4.Sheets;
  /** The service account's email: the address people are told to share their spreadsheet with. */
  readonly serviceAccountEmail: string;
  /** Time and waiting. Default: the system clock. */
  readonly clock?: Clock;
  /** Least time between two write requests to one spreadsheet, ms; Google allows 60 writes a minute per user. Default 1000. */
  readonly minWriteIntervalMs?: number;
  /** Makes a row id for a row without one. Default: 10 random base36 characters. */
  readonly idFactory?: () => string;
  /**
   * The deployment's Sheets request budget, shared by every job and instance (Firestore-backed on Cloud Run). Every
   * request of this gateway draws from it. Default: none (only Google's own 429s limit it).
   */
  readonly quota?: SheetsQuota;
  /** Longest a person's request (start, estimate, proof) waits for the quota before it is refused, ms. Default 30000. */
  readonly maxQuotaWaitMs?: number;
  /** Tagged columns are searched again at least this often, ms (see LayoutCache). Default 60000. */
  readonly layoutRefreshMs?: number;
}

export interface ResolvedGatewayOptions {
  readonly sheets: sheets_v4.Sheets;
  readonly serviceAccountEmail: string;
  readonly clock: Clock;
  readonly minWriteIntervalMs: number;
  readonly idFactory: () => string;
  readonly quota: SheetsQuota | undefined;
  readonly maxQuotaWaitMs: number;
  readonly layoutRefreshMs: number;
}

function duration(name: string, value: number | undefined, fallback: number): number {
  const ms = value ?? fallback;
  if (typeof ms !== 'number' || !Number.isFinite(ms) || ms < 0) {
    throw new TypeError(`GoogleSheetsGateway: ${name} must be a finite number >= 0, got ${JSON.stringify(ms)}`);
  }
  return ms;
}

export function resolveOptions(options: GoogleSheetsGatewayOptions): ResolvedGatewayOptions {
  const sheets = options.sheets as unknown as { spreadsheets?: { values?: unknown; developerMetadata?: unknown } } | undefined;
  if (!sheets?.spreadsheets?.values || !sheets.spreadsheets.developerMetadata) {
    throw new TypeError("GoogleSheetsGateway: sheets must be a Sheets v4 client (sheets({ version: 'v4', auth }) from @googleapis/sheets)");
  }
  const email = options.serviceAccountEmail;
  if (typeof email !== 'string' || !/^[^\s@]+@[^\s@]+$/.test(email)) {
    throw new TypeError(`GoogleSheetsGateway: serviceAccountEmail must be an email address, got ${JSON.stringify(email)}`);
  }
  const interval = options.minWriteIntervalMs ?? 1000;
  if (typeof interval !== 'number' || !Number.isFinite(interval) || interval < 0) {
    throw new TypeError(`GoogleSheetsGateway: minWriteIntervalMs must be a finite number >= 0, got ${JSON.stringify(interval)}`);
  }
  const quota = options.quota;
  if (quota !== undefined && (typeof quota !== 'object' || quota === null || typeof quota.tryAcquire !== 'function')) {
    throw new TypeError('GoogleSheetsGateway: quota must be a SheetsQuota (an object with tryAcquire)');
  }
  if (options.idFactory !== undefined && typeof options.idFactory !== 'function') {
    throw new TypeError('GoogleSheetsGateway: idFactory must be a function returning a string');
  }
  return {
    sheets: options.sheets,
    serviceAccountEmail: email,
    clock: options.clock ?? systemClock,
    minWriteIntervalMs: interval,
    idFactory: options.idFactory ?? randomRowId,
    quota,
    maxQuotaWaitMs: duration('maxQuotaWaitMs', options.maxQuotaWaitMs, 30_000),
    layoutRefreshMs: duration('layoutRefreshMs', options.layoutRefreshMs, 60_000),
  };
}
