// Who may act on a job: its owner; anyone else only with a fresh proof for its spreadsheet, and nobody else on a file job.
import { afterEach, describe, expect, it } from 'vitest';
import { proofHash } from '../../../backend/src/adapters/google-sheets/index.js';
import { ForbiddenError } from '../../../backend/src/application/caller.js';
import { authorizeJobAction, proveEditAccess } from '../../../backend/src/application/job-access.js';
import type { Job } from '../../../backend/src/ports/domain.js';
import { BRANDS, harness, job, SERVICE_ACCOUNT, type Harness } from '../adapters/google-sheets/fixtures.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const BOB = { email: 'bob@example.com' };

describe('job access', () => {
  it('lets the owner act without a proof, on any kind of job', async () => {
    h = await harness();
    const owner = { email: 'alice@example.com' };
    await expect(authorizeJobAction(h.gateway, job(), owner, undefined)).resolves.toBeUndefined();
    const fileJob: Job = job({ target: { kind: 'file', source: '/data/in.csv', out: '/data/out.csv' } });
    await expect(authorizeJobAction(h.gateway, fileJob, owner, undefined)).resolves.toBeUndefined();
  });

  it("takes another editor's fresh proof once, for the job's own spreadsheet", async () => {
    h = await harness();
    const book = h.standIn.createSpreadsheet({ title: 'Leads', rows: BRANDS, sharedWith: [SERVICE_ACCOUNT] });
    const sheetJob = job({ target: { kind: 'sheet', spreadsheetId: book.id, sheetId: 0 } });
    book.createMetadata({ key: 'rowfill.proof', value: proofHash('once'), visibility: 'DOCUMENT', location: { kind: 'spreadsheet' } });
    await expect(authorizeJobAction(h.gateway, sheetJob, BOB, 'once')).resolves.toBeUndefined();
    const again = await authorizeJobAction(h.gateway, sheetJob, BOB, 'once').catch((e: unknown) => e);
    expect(again).toBeInstanceOf(ForbiddenError);
    expect((again as Error).message).toBe('Could not confirm that you can edit this spreadsheet (the proof was missing, expired or already used). Try again from the add-on.');
  });

  it('refuses anyone but the owner of a file job, and a caller with no proof, without asking the sheet', async () => {
    h = await harness();
    const fileJob = job({ target: { kind: 'file', source: '/data/in.csv', out: '/data/out.csv' } });
    const message = 'Only the person who started this job, or an editor of its spreadsheet with a fresh proof, may do that.';
    await expect(authorizeJobAction(h.gateway, fileJob, BOB, 'any-nonce')).rejects.toThrow(message);
    await expect(authorizeJobAction(h.gateway, job(), BOB, undefined)).rejects.toThrow(message);
    expect(h.standIn.requestLog).toHaveLength(0);
  });

  it('refuses a start on a spreadsheet whose proof is missing', async () => {
    h = await harness();
    const book = h.standIn.createSpreadsheet({ title: 'Leads', rows: BRANDS, sharedWith: [SERVICE_ACCOUNT] });
    await expect(proveEditAccess(h.gateway, book.id, 'nothing-written')).rejects.toBeInstanceOf(ForbiddenError);
  });
});
