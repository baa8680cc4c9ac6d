// The Sheets quota governor's rule, pure: a sliding minute counted in slots, a reserve for people, and fairness between spreadsheets.

const MINUTE_MS = 60_000;

// The request and answer shapes of the SheetsQuota port (ports/sheets-quota.ts re-exports them): the kernel imports nothing.
export type SheetsRequestKind = 'read' | 'write';

/** Requests one step will send: e.g. a flush is one read of the id column and one write. */
export interface SheetsCost {
  readonly reads: number;
  readonly writes: number;
}

/**
 * `interactive`: a person waits for it (job start, estimate, proof); it may use the whole budget. `background`: a
 * flush or a status rewrite; it leaves a reserve for interactive requests and yields to spreadsheets waiting longer.
 */
export type SheetsPriority = 'interactive' | 'background';

export interface SheetsQuotaRequest {
  readonly spreadsheetId: string;
  readonly cost: SheetsCost;
  readonly priority: SheetsPriority;
}

export type SheetsQuotaAnswer =
  | { readonly granted: true }
  /** Nothing was taken; `retryAfterMs` is when asking again may succeed; `reason` says whether the budget or fairness refused. */
  | { readonly granted: false; readonly retryAfterMs: number; readonly reason: 'quota' | 'fairness' };

export interface QuotaWindowSettings {
  /** The deployment's budget per minute (Google's per-user quota, or what the project's quota was raised to). */
  readonly readsPerMinute: number;
  readonly writesPerMinute: number;
  /** Grants are counted per slot of this many ms. Shorter slots waste less of the budget; longer ones mean fewer counters. */
  readonly slotMs: number;
  /** How much longer than a minute the counted window is: network delay and clock skew between us and Google. */
  readonly marginMs: number;
  /** Share of each budget that background requests (flushes) leave to interactive ones (job starts), from 0 to 0.5. */
  readonly interactiveReserve: number;
  /** A spreadsheet that has not asked for this long stops counting as waiting (its job ended or moved on). */
  readonly waiterTtlMs: number;
}

export const QUOTA_WINDOW_DEFAULTS = { slotMs: 5000, marginMs: 2000, interactiveReserve: 0.2, waiterTtlMs: 10_000 } as const;

export type QuotaWindowOptions = Pick<QuotaWindowSettings, 'readsPerMinute' | 'writesPerMinute'> & Partial<Omit<QuotaWindowSettings, 'readsPerMinute' | 'writesPerMinute'>>;

function check(owner: string, name: string, value: unknown, valid: (n: number) => boolean, expected: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || !valid(value)) {
    throw new RangeError(`${owner}: ${name} must be ${expected}, got ${JSON.stringify(value)}`);
  }
  return value;
}

export function resolveQuotaWindow(owner: string, options: QuotaWindowOptions): QuotaWindowSettings {
  const whole = (n: number) => Number.isInteger(n) && n >= 1;
  return {
    readsPerMinute: check(owner, 'readsPerMinute', options.readsPerMinute, whole, 'a whole number >= 1'),
    writesPerMinute: check(owner, 'writesPerMinute', options.writesPerMinute, whole, 'a whole number >= 1'),
    slotMs: check(owner, 'slotMs', options.slotMs ?? QUOTA_WINDOW_DEFAULTS.slotMs, (n) => Number.isInteger(n) && n >= 100 && n <= MINUTE_MS, 'a whole number of ms from 100 to 60000'),
    marginMs: check(owner, 'marginMs', options.marginMs ?? QUOTA_WINDOW_DEFAULTS.marginMs, (n) => n >= 0 && n <= MINUTE_MS, 'a number of ms from 0 to 60000'),
    interactiveReserve: check(owner, 'interactiveReserve', options.interactiveReserve ?? QUOTA_WINDOW_DEFAULTS.interactiveReserve, (n) => n >= 0 && n <= 0.5, 'a number from 0 to 0.5'),
    waiterTtlMs: check(owner, 'waiterTtlMs', options.waiterTtlMs ?? QUOTA_WINDOW_DEFAULTS.waiterTtlMs, (n) => n > 0, 'a number of ms > 0'),
  };
}

export function slotOf(now: number, settings: QuotaWindowSettings): number {
  return Math.floor(now / settings.slotMs);
}

/**
 * The oldest slot still counted when granting in `slot`. Any minute-long window ending at a grant lies inside the
 * slots [first, slot] (the window plus margin spans at most that many slot lengths), so keeping their sum within the
 * budget at every grant keeps every 60-second window within it — a sliding window, not a fixed minute that would
 * let two budgets meet at its edge.
 */
export function firstCountedSlot(slot: number, settings: QuotaWindowSettings): number {
  return slot - Math.ceil((MINUTE_MS + settings.marginMs) / settings.slotMs);
}

/** Grants counted for the window ending in `slot`, from per-slot counts (keys are slot numbers). */
export function usedInWindow(counts: Readonly<Record<string, number>> | ReadonlyMap<number, number>, slot: number, settings: QuotaWindowSettings): number {
  const first = firstCountedSlot(slot, settings);
  const entries: Iterable<[string | number, number]> = counts instanceof Map ? counts.entries() : Object.entries(counts);
  let used = 0;
  for (const [key, count] of entries) {
    const n = Number(key);
    if (n >= first && n <= slot) used += count;
  }
  return used;
}

/** Per-slot counts with the slots that no longer count dropped, so a stored counter stays small. */
export function prunedCounts(counts: Readonly<Record<string, number>>, slot: number, settings: QuotaWindowSettings): Record<string, number> {
  const first = firstCountedSlot(slot, settings);
  return Object.fromEntries(Object.entries(counts).filter(([key]) => Number(key) >= first));
}

/**
 * A spreadsheet that asked recently for a background request: when it was last granted (0 if never: it goes first),
 * and when it last asked. Ordering by the last grant, not the first refusal, is what keeps a spreadsheet that asks every 100 ms from
 * always having "waited longer" than one that asks every second.
 */
export interface QuotaWaiter {
  readonly spreadsheetId: string;
  readonly lastGrantAt: number;
  readonly seenAt: number;
}

export interface GrantQuestion {
  readonly now: number;
  readonly settings: QuotaWindowSettings;
  /** The budget this decision may use (the whole deployment's, or one shard's part of it), per minute. */
  readonly limits: SheetsCost;
  /** Already granted within the counted window. */
  readonly used: SheetsCost;
  /** Already granted in the current slot (of the same counters as `used`). */
  readonly usedInSlot: SheetsCost;
  readonly request: SheetsQuotaRequest;
  readonly waiters: readonly QuotaWaiter[];
  /** When the asking spreadsheet was last granted; 0 if never. */
  readonly lastGrantAt: number;
}

/** What background requests may use of a budget: all but the reserve, and never nothing. */
export function backgroundLimit(limit: number, settings: QuotaWindowSettings): number {
  return Math.max(1, limit - Math.ceil(limit * settings.interactiveReserve));
}

/**
 * Background requests are also paced: a slot gives them at most its share of the window (a request larger than that
 * only into an empty slot). Otherwise a slot's grants leave the window all at once a minute later, and whoever asks
 * most often takes the whole burst before a spreadsheet flushing once a second has asked.
 */
export function slotShare(limit: number, settings: QuotaWindowSettings): number {
  return Math.max(1, Math.ceil(backgroundLimit(limit, settings) / (1 + Math.ceil((MINUTE_MS + settings.marginMs) / settings.slotMs))));
}

function fits(question: GrantQuestion, times: number): boolean {
  const { limits, used, usedInSlot, request, settings } = question;
  const background = request.priority === 'background';
  const kind = (cost: number, usedOf: number, inSlot: number, limit: number): boolean => {
    if (cost === 0) return true;
    if (!background) return usedOf + cost <= limit;
    // Room for the others is asked of the window, not of this slot: one that waited longer but does not ask in this
    // very slot must not leave the slot unused.
    return usedOf + cost * times <= backgroundLimit(limit, settings) && inSlot + cost <= Math.max(slotShare(limit, settings), inSlot === 0 ? cost : 0);
  };
  return kind(request.cost.reads, used.reads, usedInSlot.reads, limits.reads) && kind(request.cost.writes, used.writes, usedInSlot.writes, limits.writes);
}

/**
 * Grant or refuse, without side effects. A background request from a spreadsheet is granted only if it fits the
 * budget and, when waiting spreadsheets were last served before it was, only if there is room for them too (each
 * assumed to need as much): the one that flushed most recently yields to the one that has gone longest without.
 */
export function decideGrant(question: GrantQuestion): SheetsQuotaAnswer {
  const { now, settings, request, waiters } = question;
  const retryAfterMs = Math.max(1, (slotOf(now, settings) + 1) * settings.slotMs - now);
  if (!fits(question, 1)) return { granted: false, retryAfterMs, reason: 'quota' };
  if (request.priority === 'interactive') return { granted: true };
  const older = waiters.filter(
    (w) => w.spreadsheetId !== request.spreadsheetId && now - w.seenAt <= settings.waiterTtlMs && w.lastGrantAt < question.lastGrantAt,
  ).length;
  if (older > 0 && !fits(question, older + 1)) return { granted: false, retryAfterMs, reason: 'fairness' };
  return { granted: true };
}

/**
 * The time to record as a spreadsheet's last grant. One granted while others that were served before it still wait
 * (there was room for all) is recorded a slot later: otherwise a spreadsheet asking every 100 ms is always served first
 * in each slot, and so always looks served before the one that asked a second later in the same slot.
 */
export function grantStamp(question: GrantQuestion): number {
  const { now, settings, request, waiters } = question;
  const jumped = waiters.some((w) => w.spreadsheetId !== request.spreadsheetId && now - w.seenAt <= settings.waiterTtlMs && w.lastGrantAt < question.lastGrantAt);
  return jumped ? now + settings.slotMs : now;
}

/** Splits a per-minute budget over `shards` counters as evenly as whole numbers allow (the sum is the budget). */
export function shardLimits(perMinute: number, shards: number): number[] {
  const base = Math.floor(perMinute / shards);
  return Array.from({ length: shards }, (_, i) => base + (i < perMinute % shards ? 1 : 0));
}
