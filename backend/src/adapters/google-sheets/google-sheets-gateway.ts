// The SpreadsheetGateway port on @googleapis/sheets: access checks, proof of edit access, row anchoring, result sinks.
import type { ResultSink } from '../../ports/sheet.js';
import type { PreparedSheet, PrepareRowsRequest, SheetRef, SpreadsheetGateway } from '../../ports/spreadsheet.js';
import { accessError } from './api-errors.js';
import { resolveOptions, type GoogleSheetsGatewayOptions, type ResolvedGatewayOptions } from './options.js';
import { prepareSheet, readPreparedSheet, type PrepareDeps } from './prepare-rows.js';
import { deleteProofRequests, findProof } from './proof.js';
import { GoogleSheetsResultSink } from './result-sink.js';
import { WriteSpacer } from './write-spacer.js';

export class GoogleSheetsGateway implements SpreadsheetGateway {
  private readonly options: ResolvedGatewayOptions;
  /** Shared by every sink and preparation of this gateway, so one spreadsheet sees at most one write per interval from it. */
  private readonly spacer: WriteSpacer;

  constructor(options: GoogleSheetsGatewayOptions) {
    this.options = resolveOptions(options);
    this.spacer = new WriteSpacer(this.options.clock, this.options.minWriteIntervalMs);
  }

  get serviceAccount(): string {
    return this.options.serviceAccountEmail;
  }

  /** Runs a person-facing call, turning Google's refusals into SheetAccessError that name the account to share with. */
  private async forPerson<T>(spreadsheetId: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      throw accessError(error, spreadsheetId, this.options.serviceAccountEmail, this.options.clock.now());
    }
  }

  private get prepareDeps(): PrepareDeps {
    const { sheets, clock, idFactory } = this.options;
    return { sheets, clock, idFactory, spacer: this.spacer };
  }

  checkAccess(spreadsheetId: string): Promise<{ readonly title: string }> {
    return this.forPerson(spreadsheetId, async () => {
      const { data } = await this.options.sheets.spreadsheets.get({ spreadsheetId, fields: 'properties.title' });
      return { title: data.properties?.title ?? '' };
    });
  }

  consumeProof(spreadsheetId: string, nonce: string): Promise<boolean> {
    if (typeof nonce !== 'string' || nonce === '') return Promise.resolve(false);
    return this.forPerson(spreadsheetId, async () => {
      const { sheets } = this.options;
      const proof = await findProof(sheets, spreadsheetId, nonce);
      if (proof.metadataIds.length > 0) {
        // The proof must be gone before it counts: were the delete lost, the same nonce could be replayed.
        await this.spacer.acquire(spreadsheetId);
        await sheets.spreadsheets.batchUpdate({ spreadsheetId, requestBody: { requests: deleteProofRequests(proof.metadataIds) } });
        this.spacer.succeeded(spreadsheetId);
      }
      return proof.matched;
    });
  }

  prepareRows(request: PrepareRowsRequest): Promise<PreparedSheet> {
    return this.forPerson(request.ref.spreadsheetId, () => prepareSheet(this.prepareDeps, request));
  }

  readRows(request: PrepareRowsRequest): Promise<PreparedSheet> {
    return this.forPerson(request.ref.spreadsheetId, () => readPreparedSheet(this.prepareDeps, request));
  }

  sink(ref: SheetRef, outputs: readonly string[]): ResultSink {
    const { sheets, clock } = this.options;
    return new GoogleSheetsResultSink({ sheets, clock, spacer: this.spacer }, ref, [...outputs]);
  }
}
