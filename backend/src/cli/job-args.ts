// The arguments `enrich` and `estimate` share: flags layered over an optional rowfill.json, validated before anything is written.
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { AUTO_WORKERS, ConfigError, parseJobConfig, type JobConfigInput } from '../engine/job-config.js';
import { DEFAULT_LIMITS } from '../kernel/limits.js';
import { DEFAULT_RESEARCH } from '../engine/research/research-options.js';
import type { JobConfig, OutputSpec } from '../ports/domain.js';
import { parseOutputSpec } from './output-spec.js';
import { ALL_ROWS, parseRowSelection, type RowSelection } from './row-selection.js';
import { UsageError } from './usage-error.js';

/** Flags as commander hands them over (strings), before validation. */
export interface RawJobFlags {
  readonly input?: string[];
  readonly output?: string[];
  readonly model?: string;
  readonly workers?: string;
  readonly budget?: string;
  readonly out?: string;
  readonly rpm?: string;
  readonly tpm?: string;
  readonly rows?: string;
  readonly limit?: string;
  readonly force?: boolean;
  readonly overwrite?: boolean;
  readonly db?: string;
  readonly json?: boolean;
  readonly config?: string;
  readonly research?: boolean;
  readonly maxSearches?: string;
  readonly maxPages?: string;
  readonly searchRpm?: string;
  readonly mode?: string;
  readonly lateRows?: string;
}

export interface JobArgs {
  readonly config: JobConfig;
  readonly selection: RowSelection;
  /** The selection as the user wrote it (kept with the job, so an interrupted intake can be finished). */
  readonly rows: string | undefined;
  readonly limit: number | undefined;
  readonly out: string | undefined;
  /** An output named like an existing (non-input) column may replace its cells. */
  readonly overwrite: boolean;
  readonly db: string | undefined;
  readonly json: boolean;
  /** `--search-rpm`: searches per minute this process sends at most; undefined leaves the adapter's default. */
  readonly searchRpm: number | undefined;
}

const stringOrList = z.union([z.string(), z.array(z.string())]).transform((v) => (Array.isArray(v) ? v : [v]));
const num = z.union([z.number(), z.string()]).transform((v) => String(v));
const fileSchema = z
  .object({
    input: stringOrList.optional(),
    output: z.union([z.string(), z.array(z.union([z.string(), z.object({ name: z.string(), instruction: z.string(), type: z.string().optional(), options: z.array(z.string()).optional() })]))]).optional(),
    model: z.string().optional(),
    workers: num.optional(),
    budget: num.optional(),
    out: z.string().optional(),
    rpm: num.optional(),
    tpm: num.optional(),
    rows: z.string().optional(),
    limit: num.optional(),
    force: z.boolean().optional(),
    overwrite: z.boolean().optional(),
    db: z.string().optional(),
    json: z.boolean().optional(),
    research: z.boolean().optional(),
    maxSearches: num.optional(),
    maxPages: num.optional(),
    searchRpm: num.optional(),
    mode: z.string().optional(),
    lateRows: z.string().optional(),
  })
  .strict();

function readConfigFile(path: string): z.infer<typeof fileSchema> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new UsageError(`Cannot read config file ${path}.`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`Config file ${path} is not valid JSON: ${(error as Error).message.replace(/\s+/g, ' ')}`);
  }
  const result = fileSchema.safeParse(data);
  if (!result.success) throw new UsageError(`Config file ${path}: ${result.error.issues.map((i) => `${i.path.join('.') || 'file'}: ${i.message}`).join('; ')}`);
  return result.data;
}

function number(flag: string, text: string | undefined, { integer = false } = {}): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value) || (integer && !Number.isInteger(value))) {
    throw new UsageError(`--${flag} "${text}" is not ${integer ? 'a whole number' : 'a number'}`);
  }
  return value;
}

/** `--mode`: fast (default) or cheap (the Batch API); research rows need several turns and run fast only. */
function modeArg(text: string | undefined): 'fast' | 'cheap' | undefined {
  if (text === undefined) return undefined;
  const mode = text.trim().toLowerCase();
  if (mode !== 'fast' && mode !== 'cheap') throw new UsageError(`--mode must be fast or cheap, got "${text}"`);
  return mode;
}

/** `--late-rows`: where an expired batch's unanswered rows go in cheap mode: the next batch (default) or fast calls. */
function lateRowsArg(text: string | undefined, mode: 'fast' | 'cheap' | undefined): 'batch' | 'fast' | undefined {
  if (text === undefined) return undefined;
  const late = text.trim().toLowerCase();
  if (late !== 'batch' && late !== 'fast') throw new UsageError(`--late-rows must be batch or fast, got "${text}"`);
  // Only a batch can be late: in fast mode the flag would silently do nothing.
  if (mode !== 'cheap') throw new UsageError('--late-rows applies to cheap mode only: add --mode cheap');
  return late;
}

/** `--workers`: 1–50 rows in flight, or `auto`: as many as the model's rate limits allow. */
function workersArg(text: string | undefined): number | typeof AUTO_WORKERS | undefined {
  if (text !== undefined && text.trim().toLowerCase() === AUTO_WORKERS) return AUTO_WORKERS;
  if (text !== undefined && !/^\s*[+-]?\d+\s*$/.test(text)) throw new UsageError(`--workers "${text}" is not a whole number or ${AUTO_WORKERS}`);
  const workers = number('workers', text, { integer: true });
  if (workers !== undefined && (workers < 1 || workers > DEFAULT_LIMITS.maxWorkers)) {
    throw new UsageError(`--workers must be between 1 and ${DEFAULT_LIMITS.maxWorkers}, or ${AUTO_WORKERS}, got ${workers}`);
  }
  return workers;
}

function outputs(raw: ReadonlyArray<string | { name: string; instruction: string; type?: string | undefined; options?: string[] | undefined }>): JobConfigInput['outputs'] {
  return raw.map((o) => {
    const spec: OutputSpec = typeof o === 'string' ? parseOutputSpec(o) : { name: o.name, instruction: o.instruction, type: (o.type ?? 'text') as OutputSpec['type'], ...(o.options ? { options: o.options } : {}) };
    return { name: spec.name, instruction: spec.instruction, type: spec.type, ...(spec.options ? { options: [...spec.options] } : {}) };
  });
}

const FLAG_FOR_FIELD: Readonly<Record<string, string>> = {
  inputs: '--input',
  outputs: '--output',
  model: '--model',
  workers: '--workers',
  budgetUsd: '--budget',
  rpm: '--rpm',
  tpm: '--tpm',
  mode: '--mode',
  lateRows: '--late-rows',
};

export function parseJobArgs(flags: RawJobFlags, { budgetRequired }: { budgetRequired: boolean }): JobArgs {
  const file = flags.config ? readConfigFile(flags.config) : {};
  const pick = <K extends keyof RawJobFlags>(key: K): RawJobFlags[K] | undefined => {
    const flag = flags[key];
    if (Array.isArray(flag) ? flag.length > 0 : flag !== undefined) return flag;
    return (file as Record<string, unknown>)[key] as RawJobFlags[K] | undefined;
  };
  const inputList = flags.input && flags.input.length > 0 ? flags.input : (file.input ?? []);
  const outputList = flags.output && flags.output.length > 0 ? flags.output : file.output === undefined ? [] : Array.isArray(file.output) ? file.output : [file.output];
  if (inputList.length === 0) throw new UsageError('Name at least one input column: --input <column>');
  if (outputList.length === 0) throw new UsageError('Name at least one output column: --output "Name[:type]=instruction"');
  const budget = number('budget', pick('budget'));
  if (budget === undefined && budgetRequired) throw new UsageError('Set a budget, a hard cap in USD: --budget <usd> (for example --budget 1.00)');
  if (budget !== undefined && budget <= 0) throw new UsageError(`--budget must be greater than 0, got ${budget}`);
  const workers = workersArg(pick('workers'));
  const limit = number('limit', pick('limit'), { integer: true });
  if (limit !== undefined && limit < 1) throw new UsageError(`--limit must be at least 1, got ${limit}`);
  const rows = pick('rows');
  const mode = modeArg(pick('mode'));
  const lateRows = lateRowsArg(pick('lateRows'), mode);
  const research = researchArgs(pick('research') ?? false, pick('maxSearches'), pick('maxPages'), pick('searchRpm'));
  const input: JobConfigInput = {
    inputs: inputList,
    outputs: outputs(outputList),
    budgetUsd: budget ?? null,
    ...(pick('model') ? { model: pick('model') } : {}),
    ...(workers !== undefined ? { workers } : {}),
    ...(pick('rpm') !== undefined ? { rpm: number('rpm', pick('rpm')) } : {}),
    ...(pick('tpm') !== undefined ? { tpm: number('tpm', pick('tpm')) } : {}),
    force: pick('force') ?? false,
    ...(research.config ? { research: research.config } : {}),
    ...(mode === 'cheap' ? { mode } : {}),
    ...(lateRows === 'fast' ? { lateRows } : {}),
  };
  let config: JobConfig;
  try {
    config = parseJobConfig(input);
  } catch (error) {
    if (error instanceof ConfigError) {
      // Name the flag the user typed, not the engine's field (`budgetUsd: must be at most 10000` → `--budget: …`).
      const first = error.message.split('\n')[0] ?? error.message;
      throw new UsageError(first.replace(/^(\w+)(?=:)/, (field) => FLAG_FOR_FIELD[field] ?? field));
    }
    throw error;
  }
  return {
    config,
    selection: rows ? parseRowSelection(rows) : ALL_ROWS,
    rows,
    limit,
    out: pick('out'),
    overwrite: pick('overwrite') ?? false,
    db: pick('db'),
    json: pick('json') ?? false,
    searchRpm: research.searchRpm,
  };
}

/** Research mode's flags, checked here so each bad value is one line naming the flag (exit 2, before anything is spent). */
function researchArgs(
  enabled: boolean,
  maxSearchesText: string | undefined,
  maxPagesText: string | undefined,
  searchRpmText: string | undefined,
): { config: { enabled: true; maxSearches: number; maxPages: number } | undefined; searchRpm: number | undefined } {
  const maxSearches = number('max-searches', maxSearchesText, { integer: true });
  const maxPages = number('max-pages', maxPagesText, { integer: true });
  const searchRpm = number('search-rpm', searchRpmText);
  if (maxSearches !== undefined && (maxSearches < 1 || maxSearches > 8)) throw new UsageError(`--max-searches must be between 1 and 8, got ${maxSearches}`);
  if (maxPages !== undefined && (maxPages < 0 || maxPages > 4)) throw new UsageError(`--max-pages must be between 0 and 4, got ${maxPages}`);
  if (searchRpm !== undefined && (searchRpm <= 0 || searchRpm > 100_000)) throw new UsageError(`--search-rpm must be greater than 0 and at most 100000, got ${searchRpm}`);
  if (!enabled) {
    const stray = [maxSearchesText !== undefined && '--max-searches', maxPagesText !== undefined && '--max-pages', searchRpmText !== undefined && '--search-rpm'].filter(Boolean);
    if (stray.length > 0) throw new UsageError(`${stray.join(', ')} ${stray.length > 1 ? 'apply' : 'applies'} to research mode only: add --research`);
    return { config: undefined, searchRpm: undefined };
  }
  return {
    config: { enabled: true, maxSearches: maxSearches ?? DEFAULT_RESEARCH.maxSearches, maxPages: maxPages ?? DEFAULT_RESEARCH.maxPages },
    searchRpm,
  };
}
