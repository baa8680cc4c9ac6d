// The one validated configuration, read once at startup from the environment (and CLI flags layered on top).
import { z } from 'zod';
import { DEFAULT_LIMITS, MAX_ROWS_PER_JOB, MAX_ROWS_PER_SHEET_JOB } from './kernel/limits.js';
import { isAllowlistEntry } from './http/auth/allowlist.js';

const priceSchema = z.object({ input: z.number().nonnegative(), cachedInput: z.number().nonnegative(), output: z.number().nonnegative() });

const envSchema = z.object({
  OPENAI_API_KEY: z.string().trim().min(1).optional(),
  OPENAI_BASE_URL: z.url({ protocol: /^https?$/, error: 'OPENAI_BASE_URL must be an http(s) URL' }).optional(),
  ROWFILL_DB: z.string().trim().min(1).default('.rowfill/rowfill.db'),
  /** Research mode's web search (the CLI and the playground); without a key the local search stand-in answers, labelled simulated. */
  TAVILY_API_KEY: z.string().trim().min(1).optional(),
  TAVILY_BASE_URL: z.url({ protocol: /^https?$/, error: 'TAVILY_BASE_URL must be an http(s) URL' }).optional(),
  /**
   * Development and tests only: TAVILY_BASE_URL is a running local search stand-in (local/search), so pages are read
   * from it (names under rowfill.test resolve to 127.0.0.1 and nothing else resolves) instead of the public web.
   */
  ROWFILL_STAND_IN_PAGES: z.enum(['0', '1'], { error: 'ROWFILL_STAND_IN_PAGES must be 0 or 1' }).optional(),
  ROWFILL_LOG_LEVEL: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'], { error: 'ROWFILL_LOG_LEVEL must be one of trace, debug, info, warn, error, fatal, silent' }).default('warn'),
  /** Cheap mode: the first wait before polling a batch, ms (then 1.5× longer each poll, up to 8×). Default: 30 s, or 250 ms on the stand-in. */
  ROWFILL_BATCH_POLL_MS: z.coerce
    .number({ error: 'ROWFILL_BATCH_POLL_MS must be a whole number of milliseconds from 1 to 600000' })
    .int('ROWFILL_BATCH_POLL_MS must be a whole number of milliseconds from 1 to 600000')
    .min(1, 'ROWFILL_BATCH_POLL_MS must be a whole number of milliseconds from 1 to 600000')
    .max(600_000, 'ROWFILL_BATCH_POLL_MS must be a whole number of milliseconds from 1 to 600000')
    .optional(),
  /** Cheap mode: prompt tokens a job may have waiting at the provider per model (your account's enqueued-token limit). Default 2,000,000. */
  ROWFILL_BATCH_ENQUEUED_TOKENS: z.coerce
    .number({ error: 'ROWFILL_BATCH_ENQUEUED_TOKENS must be a whole number of tokens from 1,000 up' })
    .int('ROWFILL_BATCH_ENQUEUED_TOKENS must be a whole number of tokens from 1,000 up')
    .min(1000, 'ROWFILL_BATCH_ENQUEUED_TOKENS must be a whole number of tokens from 1,000 up')
    .optional(),
  /** JSON object of model → { input, cachedInput, output } USD per 1M tokens, merged over the built-in table. */
  ROWFILL_PRICES: z
    .string()
    .optional()
    .transform((text, ctx) => {
      if (!text) return undefined;
      try {
        return z.record(z.string(), priceSchema).parse(JSON.parse(text));
      } catch {
        ctx.addIssue({ code: 'custom', message: 'ROWFILL_PRICES must be JSON like {"my-model":{"input":1,"cachedInput":0.5,"output":4}}' });
        return z.NEVER;
      }
    }),
});

export interface RowfillConfig {
  readonly openaiApiKey: string | undefined;
  readonly openaiBaseUrl: string | undefined;
  readonly dbPath: string;
  readonly logLevel: z.infer<typeof envSchema>['ROWFILL_LOG_LEVEL'];
  readonly prices: Readonly<Record<string, z.infer<typeof priceSchema>>> | undefined;
  readonly tavilyApiKey?: string | undefined;
  readonly tavilyBaseUrl?: string | undefined;
  /** ROWFILL_STAND_IN_PAGES=1: pages come from the search stand-in at TAVILY_BASE_URL (tests, development). */
  readonly standInPages?: boolean;
  /** ROWFILL_BATCH_POLL_MS: cheap mode's first wait before polling a batch. */
  readonly batchPollMs?: number | undefined;
  /** ROWFILL_BATCH_ENQUEUED_TOKENS: cheap mode's enqueued-token limit per model. */
  readonly batchEnqueuedTokens?: number | undefined;
}

export class ConfigLoadError extends Error {
  override readonly name = 'ConfigLoadError';
}

export function loadConfig(env: Readonly<Record<string, string | undefined>> = process.env): RowfillConfig {
  const result = envSchema.safeParse(env);
  if (!result.success) throw new ConfigLoadError(result.error.issues.map((i) => i.message).join('\n'));
  const e = result.data;
  return {
    openaiApiKey: e.OPENAI_API_KEY,
    openaiBaseUrl: e.OPENAI_BASE_URL,
    dbPath: e.ROWFILL_DB,
    logLevel: e.ROWFILL_LOG_LEVEL,
    prices: e.ROWFILL_PRICES,
    tavilyApiKey: e.TAVILY_API_KEY,
    tavilyBaseUrl: e.TAVILY_BASE_URL,
    standInPages: e.ROWFILL_STAND_IN_PAGES === '1',
    batchPollMs: e.ROWFILL_BATCH_POLL_MS,
    batchEnqueuedTokens: e.ROWFILL_BATCH_ENQUEUED_TOKENS,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Server settings (`rowfill serve` locally, the backend on Cloud Run). Separate from loadConfig so the CLI never
// fails on a server variable it does not use.

/** Every variable a cloud deployment must set; cloudbuild.yaml and docs/deploy.md are tested against this list. */
const REQUIRED_CLOUD_VARIABLES = [
  'ROWFILL_MODE',
  'ROWFILL_SERVICE_URL',
  'ROWFILL_ADDON_CLIENT_IDS',
  'ROWFILL_ALLOWLIST',
  'ROWFILL_TASKS_SERVICE_ACCOUNT',
  'GOOGLE_CLOUD_PROJECT',
  'ROWFILL_TASKS_LOCATION',
  'ROWFILL_TASKS_QUEUE',
  'ROWFILL_SHEETS_SERVICE_ACCOUNT',
  'OPENAI_API_KEY',
] as const;

export type RequiredCloudVariable = (typeof REQUIRED_CLOUD_VARIABLES)[number];

export function requiredCloudVariables(): readonly RequiredCloudVariable[] {
  return REQUIRED_CLOUD_VARIABLES;
}

/** Cloud Run accepts request bodies up to 32 MiB; a larger limit would only move the failure elsewhere. */
const MAX_BODY_BYTES = 32 * 1024 * 1024;
const BODY_LIMIT = /^(\d+(?:\.\d+)?)(b|kb|mb)$/;
const BODY_UNIT = { b: 1, kb: 1024, mb: 1024 * 1024 } as const;

const emailSchema = (name: string) => z.string().trim().toLowerCase().regex(/^[^\s@]+@[^\s@]+\.[^\s@]+$/, `${name} must be an email address like rowfill@my-project.iam.gserviceaccount.com`);
/** Comma-separated; spaces also separate, so a value survives tools (gcloud, Cloud Build substitutions) that treat commas specially. */
const listSchema = (name: string, valid: (item: string) => boolean, example: string) =>
  z
    .string()
    .optional()
    .transform((text, ctx) => {
      const items = [...new Set((text ?? '').split(/[\s,]+/).filter((item) => item !== ''))];
      const bad = items.filter((item) => !valid(item));
      if (bad.length > 0) ctx.addIssue({ code: 'custom', message: `${name} must be a comma-separated list of ${example}; not valid: ${bad.join(', ')}` });
      return items;
    });
const intSchema = (name: string, min: number, max: number, fallback: number) => {
  const message = `${name} must be a whole number from ${min} to ${max}`;
  return z.coerce.number({ error: message }).int(message).min(min, message).max(max, message).default(fallback);
};

const serverEnvSchema = z.object({
  ROWFILL_MODE: z.enum(['local', 'cloud'], { error: 'ROWFILL_MODE must be "local" or "cloud"' }).default('local'),
  /** Cloud Run sets PORT; locally it picks the loopback port. */
  PORT: intSchema('PORT', 1, 65_535, 8080),
  ROWFILL_SERVICE_URL: z
    .string()
    .trim()
    .refine((text) => isBaseUrl(text), {
      message: 'ROWFILL_SERVICE_URL must be the service base URL (scheme and host, no path), like https://rowfill-123456789.europe-west1.run.app',
    })
    .transform((text) => new URL(text).origin)
    .optional(),
  ROWFILL_ADDON_CLIENT_IDS: listSchema('ROWFILL_ADDON_CLIENT_IDS', (item) => /^[A-Za-z0-9._-]+\.apps\.googleusercontent\.com$/.test(item), 'OAuth client ids ending in .apps.googleusercontent.com'),
  ROWFILL_ALLOWLIST: listSchema('ROWFILL_ALLOWLIST', isAllowlistEntry, '"*", Workspace domains (example.com) and emails (ana@example.com)'),
  ROWFILL_TASKS_SERVICE_ACCOUNT: emailSchema('ROWFILL_TASKS_SERVICE_ACCOUNT').optional(),
  GOOGLE_CLOUD_PROJECT: z.string().trim().regex(/^[a-z][a-z0-9.:-]{4,61}[a-z0-9]$/, 'GOOGLE_CLOUD_PROJECT must be a project id like my-project-123').optional(),
  ROWFILL_TASKS_LOCATION: z.string().trim().regex(/^[a-z]+-[a-z]+\d+$/, 'ROWFILL_TASKS_LOCATION must be a region like europe-west1').optional(),
  ROWFILL_TASKS_QUEUE: z.string().trim().regex(/^[A-Za-z0-9-]{1,100}$/, 'ROWFILL_TASKS_QUEUE must be a queue id: letters, digits and hyphens, at most 100').optional(),
  ROWFILL_SHEETS_SERVICE_ACCOUNT: emailSchema('ROWFILL_SHEETS_SERVICE_ACCOUNT').optional(),
  ROWFILL_MAX_ROWS_PER_JOB: intSchema('ROWFILL_MAX_ROWS_PER_JOB', 1, MAX_ROWS_PER_JOB, MAX_ROWS_PER_SHEET_JOB),
  ROWFILL_MAX_WORKERS: intSchema('ROWFILL_MAX_WORKERS', 1, 1000, DEFAULT_LIMITS.maxWorkers),
  /** Rows an auto job (`workers: 'auto'`) may keep in flight; the rate limits decide how many below this. */
  ROWFILL_MAX_IN_FLIGHT: intSchema('ROWFILL_MAX_IN_FLIGHT', 1, 5000, DEFAULT_LIMITS.maxInFlight),
  ROWFILL_MAX_BUDGET_USD: z.coerce
    .number({ error: 'ROWFILL_MAX_BUDGET_USD must be a number of US dollars greater than 0' })
    .positive('ROWFILL_MAX_BUDGET_USD must be a number of US dollars greater than 0')
    .max(1_000_000, 'ROWFILL_MAX_BUDGET_USD must be at most 1000000')
    .default(DEFAULT_LIMITS.maxBudgetUsd),
  ROWFILL_BODY_LIMIT: z
    .string()
    .trim()
    .toLowerCase()
    .refine((text) => bodyLimitBytes(text) !== undefined, { message: 'ROWFILL_BODY_LIMIT must be a size from 1kb to 32mb, like 512kb or 1mb' })
    .default('1mb'),
  /** Research mode (issue 10): without a key the server refuses research jobs at start; plain jobs are unaffected. */
  TAVILY_API_KEY: z.string().trim().min(1).optional(),
  TAVILY_BASE_URL: z.url({ protocol: /^https?$/, error: 'TAVILY_BASE_URL must be an http(s) URL' }).optional(),
  ROWFILL_SEARCH_RPM: intSchema('ROWFILL_SEARCH_RPM', 1, 100_000, 100),
  /**
   * The deployment's Sheets budget (issue 12): every job and instance reads and writes as the one service account, one
   * user to Google, whose default quota is 60 read and 60 write requests a minute. Raise both to the project's quota.
   */
  ROWFILL_SHEETS_READS_PER_MINUTE: intSchema('ROWFILL_SHEETS_READS_PER_MINUTE', 1, 1_000_000, 60),
  ROWFILL_SHEETS_WRITES_PER_MINUTE: intSchema('ROWFILL_SHEETS_WRITES_PER_MINUTE', 1, 1_000_000, 60),
});

/** Every variable loadServerConfig reads on top of loadConfig's; docs/deploy.md is tested to document each one. */
export function serverVariableNames(): readonly string[] {
  return Object.keys(serverEnvSchema.shape);
}

interface ServerSettingsBase {
  readonly port: number;
  /** This and the next two are server-side caps: the largest value a client may ask for, which it cannot raise. */
  readonly maxRowsPerJob: number;
  readonly maxWorkers: number;
  readonly maxBudgetUsd: number;
  /** Rows an auto job may keep in flight (its rate limits decide how many below this). */
  readonly maxInFlight: number;
  /** For express.json({ limit }), e.g. '1mb'. */
  readonly bodyLimit: string;
  readonly bodyLimitBytes: number;
  readonly addonClientIds: readonly string[];
  /** Raw entries (`*`, domains, emails); empty denies everyone. */
  readonly allowlist: readonly string[];
  /** Web search and page reading for research jobs; `tavilyApiKey` undefined means research mode is off on this server. */
  readonly research: ServerResearchSettings;
  /** Sheets requests per minute the whole deployment may send (every job, every instance): the governor's budget. */
  readonly sheetsQuota: { readonly readsPerMinute: number; readonly writesPerMinute: number };
}

export interface ServerResearchSettings {
  readonly tavilyApiKey: string | undefined;
  readonly tavilyBaseUrl: string | undefined;
  /** Searches per minute this instance sends at most (Tavily's development keys allow 100). */
  readonly searchRpm: number;
}

/** `rowfill serve` on one machine: loopback only, a local token instead of Google sign-in. */
export interface LocalServerSettings extends ServerSettingsBase {
  readonly mode: 'local';
  readonly host: '127.0.0.1';
  readonly serviceUrl: string | undefined;
  readonly tasksServiceAccount: string | undefined;
  readonly projectId: string | undefined;
  readonly tasksLocation: string | undefined;
  readonly tasksQueue: string | undefined;
  readonly sheetsServiceAccount: string | undefined;
}

/** The backend on Cloud Run: every Google setting present (checked at load). */
export interface CloudServerSettings extends ServerSettingsBase {
  readonly mode: 'cloud';
  /** Cloud Run routes traffic to the container's external interface. */
  readonly host: '0.0.0.0';
  /** Origin only, no trailing slash: the audience of task OIDC tokens, and the base of task URLs. */
  readonly serviceUrl: string;
  readonly tasksServiceAccount: string;
  readonly projectId: string;
  readonly tasksLocation: string;
  readonly tasksQueue: string;
  /** The email users share their sheet with. */
  readonly sheetsServiceAccount: string;
}

export type ServerSettings = LocalServerSettings | CloudServerSettings;

export interface ServerConfig extends RowfillConfig {
  readonly server: ServerSettings;
}

/** loadConfig plus the server settings; every problem is reported at once, one per line. */
export function loadServerConfig(rawEnv: Readonly<Record<string, string | undefined>> = process.env): ServerConfig {
  // A deploy tool leaves an unset value as "", so blank means missing here, for the base settings too.
  const env = Object.fromEntries(Object.entries(rawEnv).filter(([, value]) => value !== undefined && value.trim() !== ''));
  const base = envSchema.safeParse(env);
  const server = serverEnvSchema.safeParse(env);
  const messages = [...(base.error?.issues ?? []), ...(server.error?.issues ?? [])].map((i) => i.message);
  if (server.success && server.data.ROWFILL_MODE === 'cloud') {
    // A list of nothing but separators ("," or " ") is as missing as no variable at all.
    const emptyLists = new Set<string>([
      ...(server.data.ROWFILL_ADDON_CLIENT_IDS.length === 0 ? ['ROWFILL_ADDON_CLIENT_IDS'] : []),
      ...(server.data.ROWFILL_ALLOWLIST.length === 0 ? ['ROWFILL_ALLOWLIST'] : []),
    ]);
    const missing = REQUIRED_CLOUD_VARIABLES.filter((name) => env[name] === undefined || emptyLists.has(name));
    if (missing.length > 0) messages.push(`ROWFILL_MODE=cloud needs ${missing.join(', ')} (see docs/deploy.md)`);
  }
  // The Tavily variables are read by both schemas (the CLI's and the server's): one problem, one line.
  if (messages.length > 0 || !server.success) throw new ConfigLoadError([...new Set(messages)].join('\n'));
  return { ...loadConfig(env), server: serverSettings(server.data) };
}

function serverSettings(e: z.infer<typeof serverEnvSchema>): ServerSettings {
  const common: ServerSettingsBase = {
    port: e.PORT,
    maxRowsPerJob: e.ROWFILL_MAX_ROWS_PER_JOB,
    maxWorkers: e.ROWFILL_MAX_WORKERS,
    maxBudgetUsd: e.ROWFILL_MAX_BUDGET_USD,
    maxInFlight: e.ROWFILL_MAX_IN_FLIGHT,
    bodyLimit: e.ROWFILL_BODY_LIMIT,
    bodyLimitBytes: bodyLimitBytes(e.ROWFILL_BODY_LIMIT) ?? 0,
    addonClientIds: e.ROWFILL_ADDON_CLIENT_IDS,
    allowlist: e.ROWFILL_ALLOWLIST.map((entry) => entry.toLowerCase()),
    research: { tavilyApiKey: e.TAVILY_API_KEY, tavilyBaseUrl: e.TAVILY_BASE_URL, searchRpm: e.ROWFILL_SEARCH_RPM },
    sheetsQuota: { readsPerMinute: e.ROWFILL_SHEETS_READS_PER_MINUTE, writesPerMinute: e.ROWFILL_SHEETS_WRITES_PER_MINUTE },
  };
  const google = {
    serviceUrl: e.ROWFILL_SERVICE_URL,
    tasksServiceAccount: e.ROWFILL_TASKS_SERVICE_ACCOUNT,
    projectId: e.GOOGLE_CLOUD_PROJECT,
    tasksLocation: e.ROWFILL_TASKS_LOCATION,
    tasksQueue: e.ROWFILL_TASKS_QUEUE,
    sheetsServiceAccount: e.ROWFILL_SHEETS_SERVICE_ACCOUNT,
  };
  if (e.ROWFILL_MODE === 'local') return { mode: 'local', host: '127.0.0.1', ...common, ...google };
  const { serviceUrl, tasksServiceAccount, projectId, tasksLocation, tasksQueue, sheetsServiceAccount } = google;
  // loadServerConfig has already reported any of these missing; this only narrows the types.
  if (!serviceUrl || !tasksServiceAccount || !projectId || !tasksLocation || !tasksQueue || !sheetsServiceAccount) {
    throw new ConfigLoadError('ROWFILL_MODE=cloud is missing a required variable (see docs/deploy.md)');
  }
  return { mode: 'cloud', host: '0.0.0.0', ...common, serviceUrl, tasksServiceAccount, projectId, tasksLocation, tasksQueue, sheetsServiceAccount };
}

function isBaseUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return (url.protocol === 'https:' || url.protocol === 'http:') && url.pathname === '/' && url.search === '' && url.hash === '' && url.username === '';
  } catch {
    return false;
  }
}

function bodyLimitBytes(text: string): number | undefined {
  const match = BODY_LIMIT.exec(text);
  if (!match?.[1] || !match[2]) return undefined;
  const bytes = Math.floor(Number(match[1]) * BODY_UNIT[match[2] as keyof typeof BODY_UNIT]);
  return bytes >= 1024 && bytes <= MAX_BODY_BYTES ? bytes : undefined;
}
