// Jobs that start from a spreadsheet selection: preflight, proof of edit access, row anchoring, and who may act on a job.
import type { Job, JobConfig } from '../ports/domain.js';
import { SheetAccessError, type ColumnOverwrite, type PrepareRowsRequest, type SheetAccessCode, type SheetRef, type SpreadsheetGateway } from '../ports/spreadsheet.js';
import type { Store } from '../ports/store.js';
import type { Engine, Estimate } from './engine.js';
import { JobError } from './job-errors.js';
import { parseJobConfig, type ConfigLimits, DEFAULT_LIMITS } from './job-config.js';
import { DEFAULT_PRICES, priceFor, type PriceTable } from './pricing.js';
import { DEFAULT_SEARCH_PRICE, researchRowCostRange } from './research/research-cost.js';
import { SOURCES_COLUMN } from './research/research-plan.js';

export interface Caller {
  readonly email: string;
}

export interface SheetSelection {
  readonly spreadsheetId: string;
  readonly sheetId: number;
  readonly ranges: readonly string[];
  readonly headerRow: number;
}

export interface StartSheetJobRequest extends SheetSelection {
  readonly config: unknown;
  /** The one-time nonce whose hash the add-on wrote as developer metadata (DESIGN §6). */
  readonly proofNonce: string;
  /** The user confirmed replacing what output columns Rowfill did not create already hold. Default false. */
  readonly overwrite?: boolean;
}

/** An estimate of a sheet job: the engine's, plus the user's columns the outputs would overwrite. */
export interface SheetEstimate extends Estimate {
  /** Output columns that exist in the sheet, were not created by Rowfill, and hold data in the selected rows. */
  readonly overwrites: readonly ColumnOverwrite[];
  /**
   * Research mode's share, already inside costLowUsd–costHighUsd: searches billed by the search service (one a row to
   * every allowed one), and at most what search results and pages add to prompts. 0 when the job does not research.
   */
  readonly maxSearchesPerRow: number;
  readonly maxPagesPerRow: number;
  readonly searchCostLowUsd: number;
  readonly searchCostHighUsd: number;
  readonly readingCostHighUsd: number;
}

/** A start refused because outputs would replace the user's data without the caller's confirmation. */
export class OverwriteError extends Error {
  override readonly name = 'OverwriteError';
  constructor(readonly overwrites: readonly ColumnOverwrite[]) {
    super(overwriteMessage(overwrites));
  }
}

function cells(n: number): string {
  return `${n} filled ${n === 1 ? 'cell' : 'cells'}`;
}

/** `"Website" already has 370 filled cells in the selected rows; confirm to overwrite them.` (several columns listed in one sentence). */
export function overwriteMessage(overwrites: readonly ColumnOverwrite[]): string {
  const parts = overwrites.map((o, i) => (i === 0 ? `"${o.column}" already has ${cells(o.filledCells)}` : `"${o.column}" has ${cells(o.filledCells)}`));
  return `${parts.join(', ')} in the selected rows; confirm to overwrite them.`;
}

/** What the sharing helper needs: can the backend open the spreadsheet, as which account, and if not, why. */
export interface SheetAccess {
  readonly shared: boolean;
  readonly serviceAccount: string;
  readonly reason: Extract<SheetAccessCode, 'not_shared' | 'not_found'> | null;
}

export function sheetKeyOf(ref: SheetRef): string {
  return `sheets:${ref.spreadsheetId}/${ref.sheetId}`;
}

export function sheetRefOf(job: Job): SheetRef | undefined {
  const spreadsheetId = job.meta.spreadsheetId;
  const sheetId = Number(job.meta.sheetId);
  return spreadsheetId && Number.isInteger(sheetId) ? { spreadsheetId, sheetId } : undefined;
}

/**
 * The columns a job fills, in order, before rowfill_status: its outputs, then a research job's sources (one URL a
 * line), which the sheet creates and tags like an output so a later job finds it again.
 */
export function sheetColumns(config: JobConfig): string[] {
  return [...config.outputs.map((o) => o.name), ...(config.research?.enabled ? [SOURCES_COLUMN] : [])];
}

/**
 * The columns a job's results are written to: its own, plus the sources column for every job. The sink writes only
 * columns that exist, so a plain job creates none, but where an earlier research job made one, a plain answer clears
 * that row's sources instead of leaving them next to an answer they do not support.
 */
export function sinkColumns(config: JobConfig): string[] {
  return config.research?.enabled ? sheetColumns(config) : [...sheetColumns(config), SOURCES_COLUMN];
}

export class ForbiddenError extends Error {
  override readonly name = 'ForbiddenError';
}

export interface SheetJobsOptions {
  readonly engine: Engine;
  readonly store: Store;
  readonly gateway: SpreadsheetGateway;
  readonly limits?: Partial<ConfigLimits>;
  /** Rows one job may hold. Default 100,000. */
  readonly maxRowsPerJob?: number;
  /** The engine's price table overrides (EngineOptions.prices), for the research part of an estimate. */
  readonly prices?: PriceTable;
  /**
   * Why this backend cannot research (no search service configured), or undefined when it can. A research job is then
   * refused at estimate and start with this message, rather than every row failing later.
   */
  readonly researchUnavailable?: string;
}

export class SheetJobs {
  private readonly limits: ConfigLimits;
  private readonly maxRows: number;

  constructor(private readonly options: SheetJobsOptions) {
    this.limits = { ...DEFAULT_LIMITS, ...options.limits };
    this.maxRows = options.maxRowsPerJob ?? 100_000;
    if (!(Number.isInteger(this.maxRows) && this.maxRows > 0)) throw new TypeError(`Expected \`maxRowsPerJob\` to be a positive integer, got \`${this.maxRows}\``);
  }

  private async proveEditAccess(spreadsheetId: string, nonce: string): Promise<void> {
    if (!(await this.options.gateway.consumeProof(spreadsheetId, nonce))) {
      throw new ForbiddenError('Could not confirm that you can edit this spreadsheet (the proof was missing, expired or already used). Try again from the add-on.');
    }
  }

  private async activeJob(ref: SheetRef): Promise<Job | undefined> {
    const [latest] = await this.options.store.listJobs({ sheetKey: sheetKeyOf(ref), limit: 1 });
    return latest && (latest.status === 'running' || latest.status === 'preparing') ? latest : undefined;
  }

  /** Preflight (config, sheet access, proof), then anchor the rows in the sheet and start the job. */
  private config(input: unknown): JobConfig {
    let config: JobConfig;
    try {
      config = parseJobConfig(input, this.limits);
    } catch (error) {
      throw new JobError('invalid_config', (error as Error).message);
    }
    if (config.research?.enabled && this.options.researchUnavailable !== undefined) throw new JobError('invalid_config', this.options.researchUnavailable);
    return config;
  }

  async start(request: StartSheetJobRequest, caller: Caller): Promise<Job> {
    const config = this.config(request.config);
    const ref = { spreadsheetId: request.spreadsheetId, sheetId: request.sheetId };
    const { title } = await this.options.gateway.checkAccess(ref.spreadsheetId);
    const selection = this.rowsRequest(request, config);
    // Checked before the proof is consumed or anything is written, so a refused start leaves the sheet as it was.
    if (request.overwrite !== true) {
      const { overwrites = [] } = await this.options.gateway.readRows(selection);
      if (overwrites.length > 0) throw new OverwriteError(overwrites);
    }
    await this.proveEditAccess(ref.spreadsheetId, request.proofNonce);
    const running = await this.activeJob(ref);
    if (running) throw new JobError('job_running', `Job ${running.id} is already running on this sheet; cancel it or wait for it to finish.`);
    const prepared = await this.options.gateway.prepareRows(selection);
    return this.options.engine.startJob({
      owner: caller.email,
      sheetKey: sheetKeyOf(ref),
      config,
      rows: prepared.rows,
      meta: { spreadsheetId: ref.spreadsheetId, sheetId: String(ref.sheetId), spreadsheetTitle: title || prepared.spreadsheetTitle, sheetTitle: prepared.sheetTitle },
    });
  }

  /** What a start would do — rows, unchanged rows, cost range — reading the selection without writing to the sheet. */
  async estimate(request: SheetSelection & { readonly config: unknown }): Promise<SheetEstimate> {
    const config = this.config(request.config);
    const selection = this.rowsRequest(request, config);
    await this.options.gateway.checkAccess(selection.ref.spreadsheetId);
    const { rows, overwrites = [] } = await this.options.gateway.readRows(selection);
    const estimate = await this.options.engine.estimate({ sheetKey: sheetKeyOf(selection.ref), config, rows });
    return { ...estimate, ...this.researchShare(config, estimate), overwrites };
  }

  /** The range with research's searches and reading added for every row that will run. */
  private researchShare(config: JobConfig, estimate: Estimate): Omit<SheetEstimate, 'overwrites'> {
    const research = config.research?.enabled ? config.research : undefined;
    if (!research) return { ...estimate, maxSearchesPerRow: 0, maxPagesPerRow: 0, searchCostLowUsd: 0, searchCostHighUsd: 0, readingCostHighUsd: 0 };
    const price = config.price ?? priceFor(config.model, { ...DEFAULT_PRICES, ...this.options.prices });
    const row = researchRowCostRange(research, price);
    const n = estimate.toRun;
    const { searchUsd } = DEFAULT_SEARCH_PRICE;
    // Billed searches alone (as `rowfill estimate` reports them); what their results and the pages add to prompts apart.
    const searchCostLowUsd = n * searchUsd;
    const searchCostHighUsd = n * research.maxSearches * searchUsd;
    const readingCostHighUsd = n * (row.searchHighUsd + row.pageHighUsd) - searchCostHighUsd;
    return {
      ...estimate,
      maxSearchesPerRow: research.maxSearches,
      maxPagesPerRow: research.maxPages,
      searchCostLowUsd,
      searchCostHighUsd,
      readingCostHighUsd,
      costLowUsd: estimate.costLowUsd + n * row.searchLowUsd,
      costHighUsd: estimate.costHighUsd + n * (row.searchHighUsd + row.pageHighUsd),
    };
  }

  private rowsRequest(request: SheetSelection, config: JobConfig): PrepareRowsRequest {
    return {
      ref: { spreadsheetId: request.spreadsheetId, sheetId: request.sheetId },
      ranges: request.ranges,
      headerRow: request.headerRow,
      inputs: config.inputs,
      outputs: sheetColumns(config),
      maxRows: this.maxRows,
    };
  }

  /**
   * A job's owner may act on it; anyone else must present a fresh proof of edit access to its spreadsheet
   * (consumed here), so sharing a job id grants nothing.
   */
  async authorize(job: Job, caller: Caller, proofNonce: string | undefined): Promise<void> {
    if (job.owner === caller.email) return;
    const ref = sheetRefOf(job);
    if (!ref || !proofNonce) throw new ForbiddenError('Only the person who started this job, or an editor of its spreadsheet with a fresh proof, may do that.');
    await this.proveEditAccess(ref.spreadsheetId, proofNonce);
  }

  /**
   * Whether the service account can open the spreadsheet, and which account that is. The title is not returned:
   * a caller who only knows an id learns no more than an estimate would tell them.
   */
  async access(spreadsheetId: string): Promise<SheetAccess> {
    const { gateway } = this.options;
    try {
      await gateway.checkAccess(spreadsheetId);
      return { shared: true, serviceAccount: gateway.serviceAccount, reason: null };
    } catch (error) {
      // Anything else (a quota refusal, an outage) is not an answer about sharing: it goes out as an error.
      if (error instanceof SheetAccessError && (error.code === 'not_shared' || error.code === 'not_found')) {
        return { shared: false, serviceAccount: gateway.serviceAccount, reason: error.code };
      }
      throw error;
    }
  }

  async latest(ref: SheetRef): Promise<Job | undefined> {
    const [latest] = await this.options.store.listJobs({ sheetKey: sheetKeyOf(ref), limit: 1 });
    return latest;
  }
}
