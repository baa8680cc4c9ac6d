// Budget leases, the pure arithmetic: what a dry shard takes from another shard or the pool, and when nothing fits.
//
// Invariants (all in integer nanos), kept by every commit that touches a shard's money or the pool:
//   pool.granted = Σ shard.grant ≤ budget, and for every shard spent + reserved ≤ grant
// so Σ (spent + reserved) ≤ budget at every instant. A claim only ever checks its own shard's allowance
// (grant − spent − reserved), which is what keeps the job document and the pool out of the per-row path.

export interface ShardMoney {
  readonly grantNanos: number;
  readonly spentNanos: number;
  readonly reservedNanos: number;
}

/** What the shard may still reserve without asking the pool. Negative only after a row cost more than it reserved. */
export function allowance(shard: ShardMoney): number {
  return shard.grantNanos - shard.spentNanos - shard.reservedNanos;
}

/**
 * How much a shard whose allowance is `available` takes from a pool with `free` unallocated nanos so a reservation of
 * `reserve` fits, or 0 when the pool cannot cover it (then other shards must). It takes more than it needs —
 * a share of what is free, shrinking as the pool drains — so the pool is written once per chunk, not once per row.
 */
export function topUp(reserve: number, available: number, free: number, shards: number): number {
  const need = reserve - available;
  if (need <= 0 || free < need) return 0;
  return Math.min(free, Math.max(need, Math.floor(free / (2 * shards))));
}

/**
 * A shard whose idle allowance alone covers `need`, picked at random among those that can (`random` in [0, 1)) so that
 * claimers racing at once spread over donors instead of all pinning the richest; and how much to move: half its
 * allowance (so the receiver keeps some for its next claim), at least `need`.
 */
export function transferFrom(shards: readonly ShardMoney[], own: number, need: number, random: number): { readonly shard: number; readonly amount: number } | undefined {
  if (need <= 0) return undefined;
  const donors = shards.map((_, k) => k).filter((k) => k !== own && allowance(shards[k]!) >= need);
  if (donors.length === 0) return undefined;
  const shard = donors[Math.min(donors.length - 1, Math.floor(random * donors.length))]!;
  const idle = allowance(shards[shard]!);
  return { shard, amount: Math.min(idle, Math.max(need, Math.floor(idle / 2))) };
}

/** What is free in a job: the pool's unallocated part plus every shard's allowance. A reservation fits iff ≤ this. */
export function freeBudget(shards: readonly ShardMoney[], budget: number, granted: number): number {
  return budget - granted + shards.reduce((sum, shard) => sum + allowance(shard), 0);
}

export interface Take {
  readonly shard: number;
  readonly amount: number;
}

/**
 * Idle allowance gathered from the richest other shards until `need` is covered (fewest shards written), or as much as
 * there is when they cannot cover it (`covered` false: the pool must add the rest).
 */
export function gather(shards: readonly ShardMoney[], own: number, need: number): { readonly takes: readonly Take[]; readonly covered: boolean } {
  const donors = shards
    .map((shard, k) => ({ k, idle: allowance(shard) }))
    .filter((donor) => donor.k !== own && donor.idle > 0)
    .sort((a, b) => b.idle - a.idle);
  const takes: Take[] = [];
  let left = need;
  for (const donor of donors) {
    if (left <= 0) break;
    const amount = Math.min(donor.idle, left);
    takes.push({ shard: donor.k, amount });
    left -= amount;
  }
  return { takes, covered: left <= 0 };
}

export interface Grants {
  /** New grant per shard, same order as given. */
  readonly grants: readonly number[];
  readonly granted: number;
}

/**
 * Every idle allowance back to the pool: after a budget change (the new budget then bounds the pool), and after a row
 * cost more than it reserved (its shard's negative allowance is covered, and no other shard can reserve on top).
 */
export function normalize(shards: readonly ShardMoney[]): Grants {
  const grants = shards.map((s) => s.spentNanos + s.reservedNanos);
  return { grants, granted: grants.reduce((a, b) => a + b, 0) };
}
