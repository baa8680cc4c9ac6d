// Access checks and proof of edit access through the real Sheets client against the stand-in.
import { afterEach, describe, expect, it } from 'vitest';
import { GoogleSheetsGateway, proofHash } from '../../../../backend/src/adapters/google-sheets/index.js';
import { SheetAccessError } from '../../../../backend/src/ports/spreadsheet.js';
import { standInSheetsClient } from '../../../../local/sheets/client.js';
import { BRANDS, harness, SERVICE_ACCOUNT, type Harness } from './fixtures.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('GoogleSheetsGateway access', () => {
  it('returns the title of a spreadsheet shared with the service account', async () => {
    h = await harness();
    const sheet = h.standIn.createSpreadsheet({ title: 'Brand list', rows: BRANDS, sharedWith: [SERVICE_ACCOUNT] });
    await expect(h.gateway.checkAccess(sheet.id)).resolves.toEqual({ title: 'Brand list' });
  });

  it('says which account to share with when the spreadsheet is not shared or not found', async () => {
    h = await harness();
    const sheet = h.standIn.createSpreadsheet({ title: 'Private', rows: BRANDS });
    const notShared = await h.gateway.checkAccess(sheet.id).catch((e: unknown) => e);
    expect(notShared).toBeInstanceOf(SheetAccessError);
    expect(notShared).toMatchObject({ code: 'not_shared' });
    expect((notShared as Error).message).toContain(`share it with ${SERVICE_ACCOUNT} as an editor`);
    const notFound = await h.gateway.checkAccess('missing-id').catch((e: unknown) => e);
    expect(notFound).toMatchObject({ code: 'not_found' });
    expect((notFound as Error).message).toContain(SERVICE_ACCOUNT);
  });

  it('accepts a proof once: sha256(nonce) as document metadata matches, and is deleted', async () => {
    h = await harness();
    const sheet = h.standIn.createSpreadsheet({ title: 'Proofs', rows: BRANDS, sharedWith: [SERVICE_ACCOUNT] });
    sheet.createMetadata({ key: 'rowfill.proof', value: proofHash('nonce-1'), visibility: 'DOCUMENT', location: { kind: 'spreadsheet' } });
    await expect(h.gateway.consumeProof(sheet.id, 'nonce-1')).resolves.toBe(true);
    expect(sheet.metadata.list()).toEqual([]);
    await expect(h.gateway.consumeProof(sheet.id, 'nonce-1')).resolves.toBe(false);
  });

  it('refuses a wrong nonce and still deletes the proof, so it cannot be guessed at', async () => {
    h = await harness();
    const sheet = h.standIn.createSpreadsheet({ title: 'Proofs', rows: BRANDS, sharedWith: [SERVICE_ACCOUNT] });
    sheet.createMetadata({ key: 'rowfill.proof', value: proofHash('right'), visibility: 'DOCUMENT', location: { kind: 'spreadsheet' } });
    // Metadata under the same key elsewhere is not a proof and is left alone.
    sheet.createMetadata({ key: 'rowfill.proof', value: proofHash('right'), visibility: 'DOCUMENT', location: { kind: 'sheet', sheetId: 0 } });
    await expect(h.gateway.consumeProof(sheet.id, 'wrong')).resolves.toBe(false);
    expect(sheet.metadata.list().map((m) => m.location.kind)).toEqual(['sheet']);
    await expect(h.gateway.consumeProof(sheet.id, 'right')).resolves.toBe(false);
    await expect(h.gateway.consumeProof(sheet.id, '')).resolves.toBe(false);
  });

  it('reads proofs as the service account: a user who cannot edit cannot plant one', async () => {
    h = await harness();
    const sheet = h.standIn.createSpreadsheet({ title: 'Shared read-only', rows: BRANDS, sharedWith: [SERVICE_ACCOUNT] });
    h.standIn.share(sheet.id, 'mallory', 'reader');
    const mallory = standInSheetsClient({ url: h.standIn.url, token: 'mallory' });
    const planted = await mallory.spreadsheets
      .batchUpdate({
        spreadsheetId: sheet.id,
        requestBody: {
          requests: [
            { createDeveloperMetadata: { developerMetadata: { metadataKey: 'rowfill.proof', metadataValue: proofHash('x'), visibility: 'DOCUMENT', location: { spreadsheet: true } } } },
          ],
        },
      })
      .catch((e: { status?: number }) => e.status);
    expect(planted).toBe(403);
    await expect(h.gateway.consumeProof(sheet.id, 'x')).resolves.toBe(false);
  });

  it('rejects bad options with exact messages', () => {
    const sheets = standInSheetsClient({ url: 'http://127.0.0.1:1/', token: 't' });
    expect(() => new GoogleSheetsGateway({ sheets, serviceAccountEmail: 'nope' })).toThrow(
      'GoogleSheetsGateway: serviceAccountEmail must be an email address, got "nope"',
    );
    expect(() => new GoogleSheetsGateway({ sheets, serviceAccountEmail: SERVICE_ACCOUNT, minWriteIntervalMs: -1 })).toThrow(
      'GoogleSheetsGateway: minWriteIntervalMs must be a finite number >= 0, got -1',
    );
    expect(() => new GoogleSheetsGateway({ sheets: {} as never, serviceAccountEmail: SERVICE_ACCOUNT })).toThrow(
      "GoogleSheetsGateway: sheets must be a Sheets v4 client (sheets({ version: 'v4', auth }) from @googleapis/sheets)",
    );
  });
});
