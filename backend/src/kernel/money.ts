// Dollars ↔ integer nano-dollars, so every store keeps budget sums and comparisons exact (no float drift).

/** Nano-dollars per dollar: fine enough that rounding 100k per-row costs stays under a ten-thousandth of a cent. */
export const NANOS_PER_USD = 1_000_000_000;

/** The largest amount representable exactly (about $9 million): beyond it integer nanos lose precision in a double. */
export const MAX_USD = Math.floor(Number.MAX_SAFE_INTEGER / NANOS_PER_USD);

/** Dollars → nano-dollars, rounded to the nearest nano. Rejects amounts that are negative, not finite or above MAX_USD. */
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

/** Nano-dollars → dollars; division is correctly rounded, so any amount with at most nine decimals round-trips exactly. */
export function nanosToUsd(nanos: number): number {
  return nanos / NANOS_PER_USD;
}

export function nanosToUsdOrNull(nanos: number | null): number | null {
  return nanos === null ? null : nanosToUsd(nanos);
}
