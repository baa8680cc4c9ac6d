// The search stand-in's runtime settings: defaults, and the one validator used by start, configure() and the admin route.

/** Faults of the search API, drawn once per request; exclusive, so they sum to at most 1. */
export const SEARCH_FAULTS = ['rateLimit', 'error500', 'quota', 'slow'] as const;
export type SearchFault = (typeof SEARCH_FAULTS)[number];
/** Faults of the page server, drawn once per page request. */
export const PAGE_FAULTS = ['blocked', 'challenge', 'notFound', 'error500', 'slow'] as const;
export type PageFault = (typeof PAGE_FAULTS)[number];

export interface SearchStandInSettings {
  /** Delay before a search is answered, ms. Default 0. */
  readonly latencyMs: number;
  /** Delay before a page is served, ms. Default 0. */
  readonly pageLatencyMs: number;
  /** Searches per minute; beyond it 429 with retry-after. null (default) is unlimited. */
  readonly rpm: number | null;
  /** Bucket capacity in seconds' worth of the limit. Default 1. */
  readonly burstSeconds: number;
  /**
   * - `rateLimit`: a spurious 429 with retry-after 1 s. - `error500`: 500. - `quota`: 432 (plan limit reached).
   * - `slow`: answered after `slowMs` instead of `latencyMs`.
   */
  readonly searchFaults: Readonly<Record<SearchFault, number>>;
  /**
   * - `blocked`: 403. - `challenge`: 403 with `cf-mitigated: challenge`. - `notFound`: 404. - `error500`: 500.
   * - `slow`: served after `slowMs`.
   */
  readonly pageFaults: Readonly<Record<PageFault, number>>;
  /** How long a `slow` fault waits, ms. Default 30,000. */
  readonly slowMs: number;
  /** Seed of the corpus and of the fault draws. Default 1. */
  readonly seed: number;
  /** Generated companies besides the brands of examples/brands.csv. Default 200. */
  readonly companies: number;
  /** An API key answered with 401, as a missing one is. Default 'tvly-invalid'. */
  readonly rejectKey: string;
  /** Log entries kept. Default 1,000,000. */
  readonly logLimit: number;
}

export type SearchStandInSettingsPatch = {
  readonly [K in keyof SearchStandInSettings]?: K extends 'searchFaults'
    ? Readonly<Partial<Record<SearchFault, number>>>
    : K extends 'pageFaults'
      ? Readonly<Partial<Record<PageFault, number>>>
      : SearchStandInSettings[K];
};

const none = <K extends string>(kinds: readonly K[]): Record<K, number> => Object.fromEntries(kinds.map((k) => [k, 0])) as Record<K, number>;

export const DEFAULT_SEARCH_SETTINGS: SearchStandInSettings = {
  latencyMs: 0,
  pageLatencyMs: 0,
  rpm: null,
  burstSeconds: 1,
  searchFaults: none(SEARCH_FAULTS),
  pageFaults: none(PAGE_FAULTS),
  slowMs: 30_000,
  seed: 1,
  companies: 200,
  rejectKey: 'tvly-invalid',
  logLimit: 1_000_000,
};

type Check = (value: unknown) => boolean;
const nonNegative: Check = (v) => typeof v === 'number' && Number.isFinite(v) && v >= 0;
const positive: Check = (v) => typeof v === 'number' && Number.isFinite(v) && v > 0;
const FIELDS: Readonly<Record<Exclude<keyof SearchStandInSettings, 'searchFaults' | 'pageFaults'>, readonly [Check, string]>> = {
  latencyMs: [nonNegative, 'a finite number >= 0'],
  pageLatencyMs: [nonNegative, 'a finite number >= 0'],
  rpm: [(v) => v === null || positive(v), 'a positive number or null'],
  burstSeconds: [positive, 'a positive finite number'],
  slowMs: [nonNegative, 'a finite number >= 0'],
  seed: [(v) => Number.isSafeInteger(v), 'an integer'],
  companies: [(v) => Number.isSafeInteger(v) && (v as number) >= 0 && (v as number) <= 100_000, 'an integer from 0 to 100000'],
  rejectKey: [(v) => typeof v === 'string', 'a string'],
  logLimit: [(v) => Number.isSafeInteger(v) && (v as number) > 0, 'a positive integer'],
};

/** `current` with `patch` applied; throws an Error naming the first bad field. `patch` may come straight from JSON. */
export function applySearchSettings(current: SearchStandInSettings, patch: unknown): SearchStandInSettings {
  if (typeof patch !== 'object' || patch === null || Array.isArray(patch)) throw new Error('SearchStandIn: options must be an object');
  const next: Record<string, unknown> = { ...current };
  for (const [key, value] of Object.entries(patch)) {
    if (value === undefined) continue;
    if (key === 'searchFaults') next[key] = applyFaults(key, SEARCH_FAULTS, current.searchFaults, value);
    else if (key === 'pageFaults') next[key] = applyFaults(key, PAGE_FAULTS, current.pageFaults, value);
    else {
      const field = FIELDS[key as keyof typeof FIELDS] as (typeof FIELDS)[keyof typeof FIELDS] | undefined;
      if (!field) throw new Error(`SearchStandIn: unknown option "${key}"`);
      if (!field[0](value)) throw new Error(`SearchStandIn: ${key} must be ${field[1]}, got ${JSON.stringify(value)}`);
      next[key] = value;
    }
  }
  return next as unknown as SearchStandInSettings;
}

function applyFaults<K extends string>(name: string, kinds: readonly K[], current: Readonly<Record<K, number>>, patch: unknown): Record<K, number> {
  if (typeof patch !== 'object' || patch === null || Array.isArray(patch)) throw new Error(`SearchStandIn: ${name} must be an object of probabilities`);
  const next: Record<string, number> = { ...current };
  for (const [kind, rate] of Object.entries(patch)) {
    if (rate === undefined) continue;
    if (!(kinds as readonly string[]).includes(kind)) throw new Error(`SearchStandIn: unknown ${name} fault "${kind}" (known: ${kinds.join(', ')})`);
    if (typeof rate !== 'number' || !(rate >= 0 && rate <= 1)) throw new Error(`SearchStandIn: ${name}.${kind} must be a number from 0 to 1, got ${JSON.stringify(rate)}`);
    next[kind] = rate;
  }
  const sum = kinds.reduce((total, kind) => total + (next[kind] ?? 0), 0);
  if (sum > 1 + 1e-9) throw new Error(`SearchStandIn: ${name} probabilities must sum to at most 1, got ${sum}`);
  return next;
}

/** The fault for one request given one uniform draw, or null. */
export function pickFault<K extends string>(kinds: readonly K[], rates: Readonly<Record<K, number>>, draw: number): K | null {
  let threshold = 0;
  for (const kind of kinds) {
    threshold += rates[kind];
    if (draw < threshold) return kind;
  }
  return null;
}
