// Dev wiring: the local Sheets stand-in and a real Sheets client aimed at it, for `rowfill serve` and the playground.
import { startSheetsStandIn, standInSheetsClient, type SheetsStandIn, type SheetsStandInOptions } from '../../../local/sheets/index.js';

export type { SheetsStandIn };

export const LOCAL_SERVICE_ACCOUNT = 'rowfill-local@rowfill.local';

export async function startLocalSheets(options: SheetsStandInOptions = {}): Promise<{ standIn: SheetsStandIn; client: ReturnType<typeof standInSheetsClient> }> {
  const standIn = await startSheetsStandIn(options);
  return { standIn, client: standInSheetsClient({ url: standIn.url, token: LOCAL_SERVICE_ACCOUNT }) };
}
