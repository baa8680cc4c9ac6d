// The SpreadsheetGateway port on @googleapis/sheets: access checks, proof of edit access, row anchoring, result sinks.
import type { ResultSink } from '../../ports/sheet.js';
import type { AdmitPreparation, PreparedSheet, PrepareRowsRequest, SheetRef, SpreadsheetGateway } from '../../ports/spreadsheet.js';
import { accessError } from './api-errors.js';
import { resolveOptions, type GoogleSheetsGatewayOptions, type ResolvedGatewayOptions } from './options.js';
import { AdmitRefusal, prepareSheet, readPreparedSheet, type PrepareDeps } from './prepare-rows.js';
import { deleteProofRequests, findProof } from './proof.js';
import { LayoutCache } from './layout-cache.js';
import { QuotaGate } from './quota-gate.js';
import { GoogleSheetsResultSink } from './result-sink.js';
import { WriteSpacer } from './write-spacer.js';

export class GoogleSheetsGateway implements SpreadsheetGateway {
  private readonly options: ResolvedGatewayOptions;
  /** Shared by every sink and preparation of this gateway, so one spreadsheet sees at most one write per interval from it. */
  private readonly spacer: WriteSpacer;
  /** Every request of this gateway draws from the deployment's Sheets quota through it. */
  private readonly gate: QuotaGate;
  /** Shared by every sink, so a flush reads only the id column while Rowfill's columns stay put. */
  private readonly layouts: LayoutCache;

  constructor(options: GoogleSheetsGatewayOptions) {
    this.options = resolveOptions(options);
    this.spacer = new WriteSpacer(this.options.clock, this.options.minWriteIntervalMs);
    this.gate = new QuotaGate(this.options.quota, this.options.clock, this.options.maxQuotaWaitMs);
    this.layouts = new LayoutCache(this.options.clock, this.options.layoutRefreshMs);
  }

  get serviceAccount(): string {
    return this.options.serviceAccountEmail;
  }

  /** Runs a person-facing call, turning Google's refusals into SheetAccessError that name the account to share with. */
  private async forPerson<T>(spreadsheetId: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      if (error instanceof AdmitRefusal) throw error.reason;
      throw accessError(error, spreadsheetId, this.options.serviceAccountEmail, this.options.clock.now());
    }
  }

  private get prepareDeps(): PrepareDeps {
    const { sheets, clock, idFactory } = this.options;
    return { sheets, clock, idFactory, spacer: this.spacer, gate: this.gate };
  }

  checkAccess(spreadsheetId: string): Promise<{ readonly title: string }> {
    return this.forPerson(spreadsheetId, async () => {
      await this.gate.interactive(spreadsheetId, { reads: 1, writes: 0 });
      const { data } = await this.options.sheets.spreadsheets.get({ spreadsheetId, fields: 'properties.title' });
      return { title: data.properties?.title ?? '' };
    });
  }

  consumeProof(spreadsheetId: string, nonce: string): Promise<boolean> {
    if (typeof nonce !== 'string' || nonce === '') return Promise.resolve(false);
    return this.forPerson(spreadsheetId, async () => {
      const { sheets } = this.options;
      await this.gate.interactive(spreadsheetId, { reads: 1, writes: 0 });
      const proof = await findProof(sheets, spreadsheetId, nonce);
      if (proof.metadataIds.length > 0) {
        // The proof must be gone before it counts: were the delete lost, the same nonce could be replayed.
        await this.spacer.acquire(spreadsheetId);
        await this.gate.interactive(spreadsheetId, { reads: 0, writes: 1 });
        await sheets.spreadsheets.batchUpdate({ spreadsheetId, requestBody: { requests: deleteProofRequests(proof.metadataIds) } });
        this.spacer.succeeded(spreadsheetId);
      }
      return proof.matched;
    });
  }

  prepareRows(request: PrepareRowsRequest, admit?: AdmitPreparation): Promise<PreparedSheet> {
    // The preparation may insert and tag columns: the sinks search the tab's columns again.
    this.layouts.forget(request.ref);
    return this.forPerson(request.ref.spreadsheetId, () => prepareSheet(this.prepareDeps, request, admit));
  }

  readRows(request: PrepareRowsRequest): Promise<PreparedSheet> {
    return this.forPerson(request.ref.spreadsheetId, () => readPreparedSheet(this.prepareDeps, request));
  }

  sink(ref: SheetRef, outputs: readonly string[]): ResultSink {
    const { sheets, clock } = this.options;
    return new GoogleSheetsResultSink({ sheets, clock, spacer: this.spacer, gate: this.gate, layouts: this.layouts }, ref, [...outputs]);
  }
}
