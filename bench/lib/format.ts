// Number formatting for the report: thousands separators, seconds, megabytes, percentages.
export function int(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

export function seconds(ms: number): string {
  const s = ms / 1000;
  if (s >= 100) return `${int(s)} s`;
  return `${s.toFixed(s >= 10 ? 1 : 2)} s`;
}

export function megabytes(bytes: number): string {
  return `${int(bytes / 1024 ** 2)} MB`;
}

export function percent(part: number, whole: number): string {
  if (whole === 0) return '0%';
  const p = (part / whole) * 100;
  return `${p >= 10 || p === 0 ? p.toFixed(0) : p.toFixed(1)}%`;
}

export function ratio(n: number): string {
  return n.toFixed(2);
}
