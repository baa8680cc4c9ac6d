// The Sheets quota governor for Cloud Run: one budget in Firestore that every instance draws from, split over shard documents.
import type { DocumentReference, DocumentSnapshot, Firestore } from '@google-cloud/firestore';
import {
  decideGrant,
  grantStamp,
  prunedCounts,
  resolveQuotaWindow,
  shardLimits,
  slotOf,
  usedInWindow,
  type GrantQuestion,
  type QuotaWaiter,
  type QuotaWindowOptions,
  type QuotaWindowSettings,
} from '../../kernel/sheets-quota-window.js';
import type { Clock } from '../../ports/clock.js';
import type { SheetsQuota, SheetsQuotaAnswer, SheetsQuotaRequest, SheetsRequestKind } from '../../ports/sheets-quota.js';
import { systemClock } from '../system-clock/system-clock.js';
import { runOcc, TooManyLostRaces, type OccSettings } from './occ.js';
import type { CommitTouch } from './options.js';
import { SCHEMA } from './records.js';

/** Grants one shard document may take a minute: one a second, Firestore's sustained write rate for a document. */
const GRANTS_PER_SHARD_MINUTE = 60;
/** A waiting spreadsheet's document is refreshed at most this often while it keeps asking. */
const WAITER_REFRESH_MS = 3000;
const MAX_WAITERS_READ = 200;
/** After losing every race of one acquire, "not now" for this long or up to twice it (jittered, so the racers spread out). */
const CONTENDED_RETRY_MS = 500;

export interface FirestoreSheetsQuotaOptions extends QuotaWindowOptions {
  readonly firestore: Firestore;
  /** Document under which the budget lives (`<rootPath>/sheetsQuota/…`); instances sharing a budget use the same one. */
  readonly rootPath: string;
  readonly clock?: Clock;
  /** Shard documents per kind. Default: one per 60 requests a minute of that kind's budget, so each takes ≤ 1 write/s. */
  readonly readShards?: number;
  readonly writeShards?: number;
  /** How often one acquire re-reads after losing a race with another instance. Default 50. */
  readonly maxCommitAttempts?: number;
  /** Told about every commit (to measure document write rates). */
  readonly onCommit?: (touches: readonly CommitTouch[]) => void;
}

interface Shard {
  readonly kind: SheetsRequestKind;
  readonly ref: DocumentReference;
  readonly limit: number;
}

function shardCount(owner: string, name: string, value: number | undefined, perMinute: number): number {
  if (value === undefined) return Math.max(1, Math.ceil(perMinute / GRANTS_PER_SHARD_MINUTE));
  if (!Number.isInteger(value) || value < 1 || value > perMinute) {
    throw new RangeError(`${owner}: ${name} must be a whole number from 1 to the budget per minute (${perMinute}), got ${JSON.stringify(value)}`);
  }
  return value;
}

function countsOf(snapshot: DocumentSnapshot | undefined): Record<string, number> {
  const slots = snapshot?.exists ? (snapshot.get('slots') as unknown) : undefined;
  return slots && typeof slots === 'object' ? (slots as Record<string, number>) : {};
}

/**
 * Each kind's budget is split over shard documents holding per-slot grant counts (decision in docs/decisions.md). An
 * acquire reads the shards of the kinds it needs and the waiting spreadsheets, picks for each kind the shard with the
 * most room, decides with the same rule as the in-process governor against that shard's part of the budget, and
 * commits the new counts pinned on what it read: two instances racing for the last token cannot both get it.
 */
export class FirestoreSheetsQuota implements SheetsQuota {
  readonly settings: QuotaWindowSettings;
  private readonly db: Firestore;
  private readonly clock: Clock;
  private readonly shards: Readonly<Record<SheetsRequestKind, readonly Shard[]>>;
  private readonly occ: OccSettings;
  private readonly waitersPath: string;
  /** When this instance last wrote each waiting spreadsheet's document, so asking every second costs a write every few. */
  private readonly waiterWrites = new Map<string, number>();
  /**
   * When this instance last granted each spreadsheet. Fairness only: another instance's grants are seen through the
   * waiting documents it writes, so no document is written per grant beyond the shard's.
   */
  private readonly lastGrants = new Map<string, number>();

  constructor(options: FirestoreSheetsQuotaOptions) {
    const owner = 'FirestoreSheetsQuota';
    this.settings = resolveQuotaWindow(owner, options);
    if (typeof options.rootPath !== 'string' || options.rootPath.split('/').length % 2 !== 0 || options.rootPath.split('/').some((s) => s === '')) {
      throw new TypeError(`${owner}: rootPath must be a document path such as "rowfill/default", got ${JSON.stringify(options.rootPath)}`);
    }
    this.db = options.firestore;
    this.clock = options.clock ?? systemClock;
    const make = (kind: SheetsRequestKind, perMinute: number, count: number): Shard[] =>
      shardLimits(perMinute, count).map((limit, i) => ({ kind, limit, ref: this.db.doc(`${options.rootPath}/sheetsQuota/${kind}-${i}`) }));
    this.shards = {
      read: make('read', this.settings.readsPerMinute, shardCount(owner, 'readShards', options.readShards, this.settings.readsPerMinute)),
      write: make('write', this.settings.writesPerMinute, shardCount(owner, 'writeShards', options.writeShards, this.settings.writesPerMinute)),
    };
    this.waitersPath = `${options.rootPath}/sheetsQuotaWaiters`;
    this.occ = { db: this.db, maxAttempts: options.maxCommitAttempts ?? 50, onCommit: options.onCommit, onLostRace: undefined };
  }

  get readsPerMinute(): number {
    return this.settings.readsPerMinute;
  }

  get writesPerMinute(): number {
    return this.settings.writesPerMinute;
  }

  async tryAcquire(request: SheetsQuotaRequest): Promise<SheetsQuotaAnswer> {
    const waiterRef = this.db.doc(`${this.waitersPath}/${encodeURIComponent(request.spreadsheetId)}`);
    let waiters: QuotaWaiter[] = [];
    let stamp = 0;
    const answer = await runOcc(this.occ, 'sheets-quota', async (attempt): Promise<SheetsQuotaAnswer> => {
      const now = this.clock.now();
      const slot = slotOf(now, this.settings);
      const wanted = [...(request.cost.reads > 0 ? this.shards.read : []), ...(request.cost.writes > 0 ? this.shards.write : [])];
      // Unpinned: the decision pins only the shards it takes from; waiters only steer fairness, never the bound.
      const [snapshots, waiterDocs] = await Promise.all([
        attempt.getAll(
          wanted.map((s) => s.ref),
          { pin: false },
        ),
        request.priority === 'background'
          ? attempt.query(this.db.collection(this.waitersPath).where('seenAt', '>=', now - this.settings.waiterTtlMs).limit(MAX_WAITERS_READ), { pin: false })
          : Promise.resolve([]),
      ]);
      waiters = waiterDocs.map((d) => ({ spreadsheetId: String(d.get('spreadsheetId')), lastGrantAt: Number(d.get('lastGrantAt')), seenAt: Number(d.get('seenAt')) }));
      const own = waiters.find((w) => w.spreadsheetId === request.spreadsheetId);
      const roomiest = (kind: SheetsRequestKind): { shard: Shard; snapshot: DocumentSnapshot | undefined; used: number } | undefined => {
        let best: { shard: Shard; snapshot: DocumentSnapshot | undefined; used: number } | undefined;
        wanted.forEach((shard, i) => {
          if (shard.kind !== kind) return;
          const used = usedInWindow(countsOf(snapshots[i]), slot, this.settings);
          if (!best || shard.limit - used > best.shard.limit - best.used) best = { shard, snapshot: snapshots[i], used };
        });
        return best;
      };
      const read = roomiest('read');
      const write = roomiest('write');
      const inSlot = (taken: typeof read) => countsOf(taken?.snapshot)[String(slot)] ?? 0;
      const question: GrantQuestion = {
        now,
        settings: this.settings,
        limits: { reads: read?.shard.limit ?? 0, writes: write?.shard.limit ?? 0 },
        used: { reads: read?.used ?? 0, writes: write?.used ?? 0 },
        usedInSlot: { reads: inSlot(read), writes: inSlot(write) },
        request,
        waiters,
        lastGrantAt: Math.max(this.lastGrants.get(request.spreadsheetId) ?? 0, own?.lastGrantAt ?? 0),
      };
      const decided = decideGrant(question);
      if (!decided.granted) return decided;
      stamp = grantStamp(question);
      for (const [taken, cost] of [
        [read, request.cost.reads],
        [write, request.cost.writes],
      ] as const) {
        if (!taken || cost === 0) continue;
        const counts = prunedCounts(countsOf(taken.snapshot), slot, this.settings);
        counts[String(slot)] = (counts[String(slot)] ?? 0) + cost;
        if (taken.snapshot?.exists) {
          attempt.pin(taken.shard.ref);
          attempt.update(taken.shard.ref, { slots: counts, limit: taken.shard.limit, schema: SCHEMA });
        } else {
          attempt.create(taken.shard.ref, { slots: counts, limit: taken.shard.limit, schema: SCHEMA });
        }
      }
      // Still among the spreadsheets that ask (fairness weighs it), now with this grant.
      if (own) attempt.update(waiterRef, { lastGrantAt: stamp, seenAt: now });
      return decided;
    }).catch((error: unknown): SheetsQuotaAnswer => {
      // Many instances asking at the same moment (ten jobs started together) keep changing the shard under each
      // other: that is the budget being busy, so the answer is "not now" — a start waits or is refused 429, a flush
      // carries its rows — never a failed request.
      if (error instanceof TooManyLostRaces) return { granted: false, retryAfterMs: Math.round(CONTENDED_RETRY_MS * (1 + Math.random())), reason: 'quota' };
      throw error;
    });
    if (answer.granted) {
      this.waiterWrites.delete(request.spreadsheetId);
      this.lastGrants.delete(request.spreadsheetId);
      this.lastGrants.set(request.spreadsheetId, stamp);
      if (this.lastGrants.size > 10_000) this.lastGrants.delete(this.lastGrants.keys().next().value as string);
    } else if (request.priority === 'background') await this.stillWaiting(waiterRef, request.spreadsheetId, waiters);
    return answer;
  }

  /** Records that this spreadsheet waits (with its last grant), refreshing the record only every few seconds. */
  private async stillWaiting(ref: DocumentReference, spreadsheetId: string, waiters: readonly QuotaWaiter[]): Promise<void> {
    const now = this.clock.now();
    const own = waiters.find((w) => w.spreadsheetId === spreadsheetId);
    const lastWrite = this.waiterWrites.get(spreadsheetId);
    if (own && now - own.seenAt < WAITER_REFRESH_MS) return;
    if (!own && lastWrite !== undefined && now - lastWrite < WAITER_REFRESH_MS) return;
    this.waiterWrites.set(spreadsheetId, now);
    if (this.waiterWrites.size > 10_000) this.waiterWrites.delete(this.waiterWrites.keys().next().value as string);
    const lastGrantAt = Math.max(this.lastGrants.get(spreadsheetId) ?? 0, own?.lastGrantAt ?? 0);
    await ref.set({ spreadsheetId, lastGrantAt, seenAt: now, schema: SCHEMA });
  }
}
