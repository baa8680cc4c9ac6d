// Row spans of a selection: merged, header and blank tail dropped, hidden rows cut out, written as the backend's `5:9` ranges.

/** 1-based, inclusive. */
export interface RowSpan {
  readonly first: number;
  readonly last: number;
}

/** Sorted, overlapping and touching spans joined: selecting rows 2–5 and 4–9 is rows 2–9, sent once. */
export function mergeSpans(spans: readonly RowSpan[]): RowSpan[] {
  const merged: { first: number; last: number }[] = [];
  for (const span of [...spans].filter((s) => s.first <= s.last).sort((a, b) => a.first - b.first)) {
    const last = merged[merged.length - 1];
    if (last && span.first <= last.last + 1) last.last = Math.max(last.last, span.last);
    else merged.push({ first: span.first, last: span.last });
  }
  return merged;
}

/** Keeps only rows from `first` to `last` (either bound optional). */
export function clipSpans(spans: readonly RowSpan[], bounds: { readonly first?: number; readonly last?: number }): RowSpan[] {
  const lo = bounds.first ?? 1;
  const hi = bounds.last ?? Number.POSITIVE_INFINITY;
  return spans.map((s) => ({ first: Math.max(s.first, lo), last: Math.min(s.last, hi) })).filter((s) => s.first <= s.last);
}

/** Cuts the rows `drop` says to leave out, splitting spans around them. */
export function removeRows(spans: readonly RowSpan[], drop: (row: number) => boolean): { spans: RowSpan[]; removed: number } {
  const out: RowSpan[] = [];
  let removed = 0;
  for (const span of spans) {
    let start: number | null = null;
    for (let row = span.first; row <= span.last; row++) {
      if (drop(row)) {
        removed += 1;
        if (start !== null) out.push({ first: start, last: row - 1 });
        start = null;
      } else if (start === null) {
        start = row;
      }
    }
    if (start !== null) out.push({ first: start, last: span.last });
  }
  return { spans: out, removed };
}

export function countRows(spans: readonly RowSpan[]): number {
  return spans.reduce((n, s) => n + (s.last - s.first + 1), 0);
}

/** Whole-row A1 on the job's tab (the request names the tab by id), so the backend reads every column it needs. */
export function spanA1(span: RowSpan): string {
  return `${span.first}:${span.last}`;
}
