// Jobs that start from a spreadsheet selection: config and sheet preflight, proof of edit access, row anchoring, who may act.
import type { Engine } from '../engine/engine.js';
import type { PriceTable } from '../kernel/models.js';
import { JobError } from '../kernel/job-errors.js';
import { DEFAULT_LIMITS, MAX_ROWS_PER_SHEET_JOB, type ConfigLimits } from '../kernel/limits.js';
import type { Job, JobConfig, SheetTarget } from '../ports/domain.js';
import { SheetAccessError, type PrepareRowsRequest, type SheetAccessCode, type SheetRef, type SpreadsheetGateway } from '../ports/spreadsheet.js';
import type { Store } from '../ports/store.js';
import { ForbiddenError, type Caller } from './caller.js';
import { parseConfigInput } from './config-input.js';
import { authorizeJobAction, EDIT_PROOF_REFUSED } from './job-access.js';
import { OverwriteError } from './overwrite.js';
import { sheetColumns } from './sheet-columns.js';
import { withResearchShare, type SheetEstimate } from './sheet-estimate.js';

export interface SheetSelection {
  readonly spreadsheetId: string;
  readonly sheetId: number;
  readonly ranges: readonly string[];
  readonly headerRow: number;
}

export interface StartSheetJobRequest extends SheetSelection {
  /** The request body's config, parsed here with this backend's caps. */
  readonly config: unknown;
  /** The one-time nonce whose hash the add-on wrote as developer metadata (DESIGN §6). */
  readonly proofNonce: string;
  /** The user confirmed replacing what output columns Rowfill did not create already hold. Default false. */
  readonly overwrite?: boolean;
}

/** What the sharing helper needs: can the backend open the spreadsheet, as which account, and if not, why. */
export interface SheetAccess {
  readonly shared: boolean;
  readonly serviceAccount: string;
  readonly reason: Extract<SheetAccessCode, 'not_shared' | 'not_found'> | null;
}

export interface SheetJobsOptions {
  readonly engine: Engine;
  readonly store: Store;
  readonly gateway: SpreadsheetGateway;
  readonly limits?: Partial<ConfigLimits>;
  /** Rows one job may hold. Default MAX_ROWS_PER_SHEET_JOB. */
  readonly maxRowsPerJob?: number;
  /** The engine's price table overrides (EngineOptions.prices), for the research part of an estimate. */
  readonly prices?: PriceTable;
  /**
   * Why this backend cannot research (no search service configured), or undefined when it can. A research job is then
   * refused at estimate and start with this message, rather than every row failing later.
   */
  readonly researchUnavailable?: string;
}

function sheetTarget(ref: SheetRef): SheetTarget {
  return { kind: 'sheet', spreadsheetId: ref.spreadsheetId, sheetId: ref.sheetId };
}

export class SheetJobs {
  private readonly limits: ConfigLimits;
  private readonly maxRows: number;

  constructor(private readonly options: SheetJobsOptions) {
    this.limits = { ...DEFAULT_LIMITS, ...options.limits };
    this.maxRows = options.maxRowsPerJob ?? MAX_ROWS_PER_SHEET_JOB;
    if (!(Number.isInteger(this.maxRows) && this.maxRows > 0)) throw new TypeError(`Expected \`maxRowsPerJob\` to be a positive integer, got \`${this.maxRows}\``);
  }

  private async activeJob(ref: SheetRef): Promise<Job | undefined> {
    const latest = await this.latest(ref);
    return latest && (latest.status === 'running' || latest.status === 'preparing') ? latest : undefined;
  }

  /** The body's config, parsed once here: the engine takes it as it is. */
  private config(input: unknown): JobConfig {
    const config = parseConfigInput(input, this.limits);
    if (config.research?.enabled && this.options.researchUnavailable !== undefined) throw new JobError('invalid_config', this.options.researchUnavailable);
    return config;
  }

  /**
   * Preflight (config; then, from one read of the sheet: overwrites, the proof, no job running), then anchor the rows in
   * the sheet and start the job. The sheet is read once: 3 Sheets reads and 2 writes a start, against the deployment's
   * per-minute quota that every job shares.
   */
  async start(request: StartSheetJobRequest, caller: Caller): Promise<Job> {
    const config = this.config(request.config);
    const ref = { spreadsheetId: request.spreadsheetId, sheetId: request.sheetId };
    const selection = { ...this.rowsRequest(request, config), proofNonce: request.proofNonce };
    // Decided between the read and the first write, so a refused start leaves the sheet's cells as they were.
    const prepared = await this.options.gateway.prepareRows(selection, async ({ overwrites, proofMatched }) => {
      if (request.overwrite !== true && overwrites.length > 0) throw new OverwriteError(overwrites);
      if (!proofMatched) throw new ForbiddenError(EDIT_PROOF_REFUSED);
      const running = await this.activeJob(ref);
      if (running) throw new JobError('job_running', `Job ${running.id} is already running on this sheet; cancel it or wait for it to finish.`);
    });
    return this.options.engine.startJob({
      owner: caller.email,
      target: { ...sheetTarget(ref), spreadsheetTitle: prepared.spreadsheetTitle, sheetTitle: prepared.sheetTitle },
      config,
      rows: prepared.rows,
    });
  }

  /** What a start would do — rows, unchanged rows, cost range — reading the selection without writing to the sheet. */
  async estimate(request: SheetSelection & { readonly config: unknown }): Promise<SheetEstimate> {
    const config = this.config(request.config);
    const selection = this.rowsRequest(request, config);
    const { rows, overwrites = [] } = await this.options.gateway.readRows(selection);
    const estimate = await this.options.engine.estimate({ target: sheetTarget(selection.ref), config, rows });
    return { ...withResearchShare(config, estimate, this.options.prices), overwrites };
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

  /** See job-access.ts: the owner, or an editor of the job's spreadsheet with a fresh proof. */
  authorize(job: Job, caller: Caller, proofNonce: string | undefined): Promise<void> {
    return authorizeJobAction(this.options.gateway, job, caller, proofNonce);
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

  /** The newest job on this tab, whatever its state. */
  async latest(ref: SheetRef): Promise<Job | undefined> {
    const [latest] = await this.options.store.listJobs({ target: sheetTarget(ref), limit: 1 });
    return latest;
  }
}
