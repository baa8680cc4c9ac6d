// Dollars ↔ integer nano-dollars: Firestore stores them as int64, so budget sums and comparisons are exact.

/** Nano-dollars per dollar. */
export const NANOS_PER_USD = 1_000_000_000;

/** The largest amount a double holds exactly as nanos (about $9 million). */
export const MAX_USD = Math.floor(Number.MAX_SAFE_INTEGER / NANOS_PER_USD);

/** Dollars → nano-dollars, rounded to the nearest nano. Refuses negative, non-finite and too-large amounts. */
export function usdToNanos(usd: number, what = 'amount'): number {
  if (typeof usd !== 'number' || !Number.isFinite(usd)) throw new RangeError(`${what} must be a finite number of USD, got ${String(usd)}`);
  if (usd < 0) throw new RangeError(`${what} must not be negative, got ${usd}`);
  if (usd > MAX_USD) throw new RangeError(`${what} must be at most ${MAX_USD} USD, got ${usd}`);
  return Math.round(usd * NANOS_PER_USD);
}

/** Like usdToNanos, but null (no cap) stays null. */
export function usdToNanosOrNull(usd: number | null, what = 'amount'): number | null {
  return usd === null ? null : usdToNanos(usd, what);
}

/** Division by 1e9 is correctly rounded, so amounts with at most nine decimals come back exactly. */
export function nanosToUsd(nanos: number): number {
  return nanos / NANOS_PER_USD;
}

export function nanosToUsdOrNull(nanos: number | null): number | null {
  return nanos === null ? null : nanosToUsd(nanos);
}
