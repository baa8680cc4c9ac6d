// A sheet's Rowfill settings: their shape, defaults and validation, shared by the add-on and the sidebar (pure, no Apps Script).
import { DEFAULT_LIMITS, FIELD_LIMITS } from '../../backend/src/kernel/limits.js';
import { DEFAULT_MODEL, isListedModel, LISTED_MODELS, MAX_PRICE_PER_MTOK } from '../../backend/src/kernel/models.js';

export const OUTPUT_TYPES = ['text', 'number', 'boolean', 'url', 'enum'] as const;
export type OutputType = (typeof OUTPUT_TYPES)[number];

export interface OutputColumn {
  readonly name: string;
  readonly instruction: string;
  readonly type: OutputType;
  /** The allowed answers when `type` is `enum`; empty otherwise. */
  readonly options: readonly string[];
}

/** Fast: rows answered as they run. Cheap: the provider's Batch API, at half price, results within 24 h. */
export const MODES = ['fast', 'cheap'] as const;
export type Mode = (typeof MODES)[number];

export const MODE_LABELS: Readonly<Record<Mode, string>> = {
  fast: 'Fast',
  cheap: 'Cheap (Batch API, results within 24 h)',
};

export interface Settings {
  readonly inputs: readonly string[];
  readonly outputs: readonly OutputColumn[];
  readonly model: string;
  /** The model's price (USD per 1M tokens) when the backend has none for it; only kept for a model not in MODELS. */
  readonly price?: PriceInput;
  readonly workers: number;
  /** "As fast as my limits allow": the backend keeps as many rows in flight as the model's rate limits serve (`workers: 'auto'`); `workers` is kept for when it is off. */
  readonly workersAuto: boolean;
  readonly budgetUsd: number;
  /** The row holding column names; rows at or above it are never sent. */
  readonly headerRow: number;
  /** "Research the web": search and read pages before answering, citing sources in rowfill_sources. */
  readonly research: ResearchSettings;
  /** The Speed choice, sent as `config.mode` (only when cheap, so a fast job's config stays as it was). */
  readonly mode: Mode;
  /** "Finish late rows fast" (Cheap only): rows an expired batch did not answer run as fast calls, sent as `config.lateRows: 'fast'`. */
  readonly lateRowsFast: boolean;
}

export interface ResearchSettings {
  readonly enabled: boolean;
  /** web_search calls a row may make, 1–8. */
  readonly maxSearches: number;
  /** Pages a row may read, 0–4. */
  readonly maxPages: number;
}

export interface FieldError {
  /** `inputs`, `outputs.2.name`, `workers`…: the sidebar puts the message next to that field. */
  readonly field: string;
  readonly message: string;
}

/** A model's own price, USD per 1M tokens, for a model the backend has no price for. */
export interface PriceInput {
  readonly input: number;
  readonly output: number;
}

/**
 * The engine's own caps (backend/src/kernel/limits.ts, bundled in): checking them here saves a round trip, the server
 * still decides (and may lower maxWorkers and maxBudgetUsd).
 */
export const LIMITS = {
  minWorkers: FIELD_LIMITS.minWorkers,
  maxWorkers: DEFAULT_LIMITS.maxWorkers,
  maxBudgetUsd: DEFAULT_LIMITS.maxBudgetUsd,
  maxInputs: DEFAULT_LIMITS.maxInputs,
  maxOutputs: DEFAULT_LIMITS.maxOutputs,
  maxNameChars: FIELD_LIMITS.maxNameChars,
  maxInstructionChars: DEFAULT_LIMITS.maxInstructionChars,
  maxOptions: FIELD_LIMITS.maxOptions,
  maxHeaderRow: FIELD_LIMITS.maxHeaderRow,
  minSearches: FIELD_LIMITS.minSearches,
  maxSearches: FIELD_LIMITS.maxSearches,
  minPages: FIELD_LIMITS.minPages,
  maxPages: FIELD_LIMITS.maxPages,
  /** The highest price per 1M tokens the sidebar takes: above it is surely a slipped digit. */
  maxPricePerMillion: MAX_PRICE_PER_MTOK,
} as const;

/** The models the sidebar offers: those the engine has a list price for, the default first. */
export const MODELS = LISTED_MODELS;

/** Columns Rowfill itself writes (id, status, error, cost); not inputs, and an output named like one would fight it. */
export const RESERVED_COLUMNS = ['rowfill_id', 'rowfill_status', 'rowfill_error', 'rowfill_cost_usd', 'rowfill_sources'] as const;

export const DEFAULT_SETTINGS: Settings = {
  inputs: [],
  outputs: [],
  model: DEFAULT_MODEL,
  workers: 8,
  workersAuto: false,
  budgetUsd: 1,
  headerRow: 1,
  research: { enabled: false, maxSearches: 3, maxPages: 2 },
  mode: 'fast',
  lateRowsFast: false,
};

/** Settings stored before research mode existed (or a form without it) read as research off, with the defaults. */
function normalizeResearch(raw: unknown): ResearchSettings {
  const r = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
  const d = DEFAULT_SETTINGS.research;
  return {
    enabled: r.enabled === true || r.enabled === 'true' || r.enabled === 'on',
    maxSearches: r.maxSearches === undefined || r.maxSearches === '' ? d.maxSearches : numberOf(r.maxSearches),
    maxPages: r.maxPages === undefined || r.maxPages === '' ? d.maxPages : numberOf(r.maxPages),
  };
}

export const TYPE_LABELS: Readonly<Record<OutputType, string>> = {
  text: 'Text',
  number: 'Number',
  boolean: 'Yes / no',
  url: 'URL',
  enum: 'One of a list',
};

function text(value: unknown): string {
  return typeof value === 'string' ? value.trim() : typeof value === 'number' ? String(value) : '';
}

function numberOf(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && value.trim() !== '') return Number(value);
  return Number.NaN;
}

function isOutputType(value: string): value is OutputType {
  return (OUTPUT_TYPES as readonly string[]).includes(value);
}

/** Splits an options field typed as `budget, mid-range | premium` or one per line. */
export function parseOptions(value: unknown): string[] {
  const list = Array.isArray(value) ? value.map(text) : text(value).split(/[,|\n]/);
  const seen = new Set<string>();
  return list.map((o) => o.trim()).filter((o) => o !== '' && !seen.has(o) && (seen.add(o), true));
}

function normalizeOutput(raw: unknown): OutputColumn {
  const o = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
  const type = text(o.type);
  const kind: OutputType = isOutputType(type) ? type : 'text';
  return { name: text(o.name), instruction: text(o.instruction), type: kind, options: kind === 'enum' ? parseOptions(o.options) : [] };
}

/** A price the user typed: kept when either half is filled (validation says what is missing), for an unlisted model only. */
function normalizePrice(raw: unknown, model: string): PriceInput | undefined {
  if (isListedModel(model) || !raw || typeof raw !== 'object') return undefined;
  const p = raw as Record<string, unknown>;
  if (text(p.input) === '' && text(p.output) === '') return undefined;
  return { input: numberOf(p.input), output: numberOf(p.output) };
}

/** Trims and coerces what a form or a stored property holds into Settings, without judging it. */
export function normalizeSettings(raw: unknown): Settings {
  const s = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
  const inputs = Array.isArray(s.inputs) ? s.inputs.map(text).filter((i) => i !== '') : [];
  const model = text(s.model) || DEFAULT_SETTINGS.model;
  const price = normalizePrice(s.price, model);
  return {
    inputs: inputs.filter((name, i) => inputs.indexOf(name) === i),
    outputs: Array.isArray(s.outputs) ? s.outputs.map(normalizeOutput) : [],
    model,
    ...(price ? { price } : {}),
    workers: numberOf(s.workers),
    // Settings stored before the choice existed read as off.
    workersAuto: s.workersAuto === true || s.workersAuto === 'true' || s.workersAuto === 'on',
    budgetUsd: numberOf(s.budgetUsd),
    headerRow: s.headerRow === undefined ? DEFAULT_SETTINGS.headerRow : numberOf(s.headerRow),
    research: normalizeResearch(s.research),
    // Settings stored before the Speed choice existed read as fast.
    mode: s.mode === 'cheap' ? 'cheap' : 'fast',
    // Settings stored before the choice existed read as off (late rows go to the next batch).
    lateRowsFast: s.lateRowsFast === true || s.lateRowsFast === 'true' || s.lateRowsFast === 'on',
  };
}

function same(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

/**
 * Every problem with the settings, each tied to its field. `header` (the sheet's column names), when given, also
 * checks that each input column exists.
 */
export function validateSettings(settings: Settings, header?: readonly string[]): FieldError[] {
  const errors: FieldError[] = [];
  const add = (field: string, message: string) => errors.push({ field, message });
  if (settings.inputs.length === 0) add('inputs', 'Choose at least one input column.');
  if (settings.inputs.length > LIMITS.maxInputs) add('inputs', `Choose at most ${LIMITS.maxInputs} input columns.`);
  if (header) {
    const missing = settings.inputs.filter((i) => !header.some((h) => same(h, i)));
    if (missing.length > 0) add('inputs', `Not in the header row: ${missing.join(', ')}.`);
  }
  if (settings.outputs.length === 0) add('outputs', 'Add at least one output column.');
  if (settings.outputs.length > LIMITS.maxOutputs) add('outputs', `Use at most ${LIMITS.maxOutputs} output columns.`);
  settings.outputs.forEach((o, i) => {
    const at = `outputs.${i}`;
    if (o.name === '') add(`${at}.name`, 'Give the column a name.');
    else if (o.name.length > LIMITS.maxNameChars) add(`${at}.name`, `Use at most ${LIMITS.maxNameChars} characters.`);
    else if (RESERVED_COLUMNS.some((r) => same(r, o.name))) add(`${at}.name`, `"${o.name}" is Rowfill's own column; pick another name.`);
    else if (settings.inputs.some((input) => same(input, o.name))) add(`${at}.name`, `"${o.name}" is also an input column.`);
    else if (settings.outputs.findIndex((other) => same(other.name, o.name)) < i) add(`${at}.name`, `"${o.name}" is named twice.`);
    if (o.instruction === '') add(`${at}.instruction`, 'Say what the model should write here.');
    else if (o.instruction.length > LIMITS.maxInstructionChars) add(`${at}.instruction`, `Use at most ${LIMITS.maxInstructionChars} characters.`);
    if (o.type === 'enum' && o.options.length < 2) add(`${at}.options`, 'List at least two options, separated by commas.');
    if (o.options.length > LIMITS.maxOptions) add(`${at}.options`, `List at most ${LIMITS.maxOptions} options.`);
  });
  if (settings.model === '') add('model', 'Choose a model.');
  if (settings.price) {
    for (const [half, field] of [['input', 'priceInput'], ['output', 'priceOutput']] as const) {
      const value = settings.price[half];
      if (!Number.isFinite(value) || value <= 0 || value > LIMITS.maxPricePerMillion) add(field, `Enter the ${half} price in USD per 1M tokens: more than 0, at most ${LIMITS.maxPricePerMillion}.`);
    }
  }
  // The Workers field is not used (nor checked) while "As fast as my limits allow" is on.
  if (!settings.workersAuto && (!Number.isInteger(settings.workers) || settings.workers < LIMITS.minWorkers || settings.workers > LIMITS.maxWorkers)) {
    add('workers', `Workers must be a whole number from ${LIMITS.minWorkers} to ${LIMITS.maxWorkers}.`);
  }
  if (!Number.isFinite(settings.budgetUsd) || settings.budgetUsd <= 0) add('budgetUsd', 'The budget must be more than $0.');
  else if (settings.budgetUsd > LIMITS.maxBudgetUsd) add('budgetUsd', `The budget can be at most $${LIMITS.maxBudgetUsd}.`);
  if (!Number.isInteger(settings.headerRow) || settings.headerRow < 1 || settings.headerRow > LIMITS.maxHeaderRow) {
    add('headerRow', 'The header row must be a row number, 1 or more.');
  }
  const { research } = settings;
  if (research.enabled) {
    if (!Number.isInteger(research.maxSearches) || research.maxSearches < LIMITS.minSearches || research.maxSearches > LIMITS.maxSearches) {
      add('maxSearches', `Searches per row must be a whole number from ${LIMITS.minSearches} to ${LIMITS.maxSearches}.`);
    }
    if (!Number.isInteger(research.maxPages) || research.maxPages < LIMITS.minPages || research.maxPages > LIMITS.maxPages) {
      add('maxPages', `Pages read per row must be a whole number from ${LIMITS.minPages} to ${LIMITS.maxPages}.`);
    }
  }
  // The engine refuses it too (job-config.ts); saying it here keeps the message next to the choice.
  if (settings.mode === 'cheap' && research.enabled) add('mode', 'Research the web runs in Fast mode only: choose Fast, or turn research off.');
  return errors;
}

/** The `config` of a job or estimate request (parsed by backend/src/engine/job-config.ts). */
export function toJobConfig(settings: Settings): Record<string, unknown> {
  return {
    inputs: [...settings.inputs],
    outputs: settings.outputs.map((o) =>
      o.type === 'enum' ? { name: o.name, instruction: o.instruction, type: o.type, options: [...o.options] } : { name: o.name, instruction: o.instruction, type: o.type },
    ),
    model: settings.model,
    ...(settings.price ? { price: { input: settings.price.input, output: settings.price.output } } : {}),
    workers: settings.workersAuto ? 'auto' : settings.workers,
    budgetUsd: settings.budgetUsd,
    // Only when on: a plain job's config (and so its cache keys) stays as it was before research mode.
    ...(settings.research.enabled ? { research: { enabled: true, maxSearches: settings.research.maxSearches, maxPages: settings.research.maxPages } } : {}),
    ...(settings.mode === 'cheap' ? { mode: 'cheap' } : {}),
    // Kept while Fast is chosen (the box comes back ticked) but sent only with Cheap: the backend refuses it otherwise.
    ...(settings.mode === 'cheap' && settings.lateRowsFast ? { lateRows: 'fast' } : {}),
  };
}
