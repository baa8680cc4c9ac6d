// What the search stand-in did with each search and page request, plus the billing counter tests read.

export interface SearchLogEntry {
  readonly seq: number;
  /** Arrival time, epoch ms. */
  readonly at: number;
  readonly kind: 'search' | 'page';
  /** The query (search) or the full URL (page). */
  readonly target: string;
  /** HTTP status sent, or null when the client left first. */
  readonly status: number | null;
  readonly fault: string | null;
  /** Results returned (search) or bytes served (page). */
  readonly size: number;
  /** Credits charged: 1 for a basic search answered 200, 2 for an advanced one, 0 otherwise. */
  readonly credits: number;
}

export interface SearchBilling {
  /** Searches answered 200 (what Tavily bills). */
  readonly searches: number;
  readonly credits: number;
  /** Page requests served (any status). */
  readonly pages: number;
}

/** An append-only log with a cap; counters survive trimming, so billing stays exact on long runs. */
export class SearchRequestLog {
  readonly entries: SearchLogEntry[] = [];
  private seq = 0;
  private billing = { searches: 0, credits: 0, pages: 0 };

  constructor(private limit: number) {}

  setLimit(limit: number): void {
    this.limit = limit;
    this.trim();
  }

  append(entry: Omit<SearchLogEntry, 'seq'>): void {
    this.entries.push({ seq: ++this.seq, ...entry });
    if (entry.kind === 'search' && entry.credits > 0) {
      this.billing.searches++;
      this.billing.credits += entry.credits;
    }
    if (entry.kind === 'page') this.billing.pages++;
    this.trim();
  }

  get usage(): SearchBilling {
    return { ...this.billing };
  }

  clear(): void {
    this.entries.length = 0;
    this.billing = { searches: 0, credits: 0, pages: 0 };
  }

  private trim(): void {
    if (this.entries.length <= this.limit) return;
    const excess = this.entries.length - this.limit;
    this.entries.splice(0, Math.max(excess, Math.floor(this.limit / 10)));
  }
}
