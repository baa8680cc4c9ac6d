// How money, rates and durations read in alerts and the sidebar (pure, shared by both).

/** Cents for everyday amounts; more digits below a cent, so a $0.004 estimate does not read as $0.00. */
export function money(usd: number | null | undefined): string {
  if (usd === null || usd === undefined || !Number.isFinite(usd)) return '—';
  if (usd === 0) return '$0.00';
  if (Math.abs(usd) < 0.01) return `$${usd.toFixed(4)}`;
  return `$${usd.toFixed(2)}`;
}

export function moneyRange(low: number, high: number): string {
  return money(low) === money(high) ? money(low) : `${money(low)}–${money(high)}`;
}

/** `about 3 min`, `under a minute`, `1 h 20 min`; unknown when the rate is not known yet. */
export function eta(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return 'unknown';
  if (ms <= 0) return 'done';
  const minutes = Math.round(ms / 60_000);
  if (minutes < 1) return 'under a minute';
  if (minutes < 60) return `about ${minutes} min`;
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return m === 0 ? `about ${h} h` : `about ${h} h ${m} min`;
}

export function rowsPerMinute(rate: number | null | undefined): string {
  if (rate === null || rate === undefined || !Number.isFinite(rate) || rate <= 0) return '—';
  return rate >= 10 ? `${Math.round(rate)} rows/min` : `${rate.toFixed(1)} rows/min`;
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

const hhmm = (d: Date): string => `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** A deadline in the reader's own time: `by 14:05` today, `by tomorrow 09:30`, `by Dec 9 14:05` later; `unknown` without one. */
export function byTime(at: Date | null, now: Date): string {
  if (at === null || !Number.isFinite(at.getTime())) return 'unknown';
  const day = (d: Date) => new Date(d.getFullYear(), d.getMonth(), d.getDate()).getTime();
  const days = Math.round((day(at) - day(now)) / 86_400_000);
  if (days <= 0) return `by ${hhmm(at)}`;
  if (days === 1) return `by tomorrow ${hhmm(at)}`;
  return `by ${MONTHS[at.getMonth()] ?? ''} ${at.getDate()} ${hhmm(at)}`;
}
