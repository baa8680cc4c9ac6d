// Answers a query from the corpus: companies whose name the query mentions, best match first, their pages as results.
import { COMPANY_PATHS, DIRECTORY_HOST, type Company } from './corpus.js';
import { renderPage, type PageKind } from './pages-html.js';

export interface IndexHit {
  readonly url: string;
  readonly title: string;
  readonly content: string;
  readonly score: number;
}

/** Words that name no company in particular. */
const STOP = new Set(['the', 'and', 'of', 'co', 'inc', 'ltd', 'company', 'group', 'a', 'in', 'for', 'what', 'when', 'who', 'year', 'founded', 'ceo', 'headquarters']);

export class SearchIndex {
  private readonly byToken = new Map<string, Company[]>();

  constructor(
    readonly companies: readonly Company[],
    private readonly port: () => number,
  ) {
    for (const company of companies) {
      for (const token of new Set(tokens(company.name))) {
        const list = this.byToken.get(token) ?? [];
        list.push(company);
        this.byToken.set(token, list);
      }
    }
  }

  /** Up to `maxResults` hits: for each matching company (most name words matched first), its about, home and directory pages. */
  search(query: string, maxResults: number): IndexHit[] {
    const queryTokens = new Set(tokens(query));
    const scores = new Map<Company, number>();
    for (const token of queryTokens) {
      for (const company of this.byToken.get(token) ?? []) scores.set(company, (scores.get(company) ?? 0) + 1);
    }
    const ranked = [...scores.entries()]
      .map(([company, matched]) => ({ company, score: matched / new Set(tokens(company.name)).size }))
      .filter((r) => r.score >= 0.5)
      .sort((a, b) => b.score - a.score || a.company.slug.localeCompare(b.company.slug));
    const hits: IndexHit[] = [];
    for (const { company, score } of ranked) {
      for (const kind of ['about', 'home', 'directory'] as const) {
        if (hits.length >= maxResults) return hits;
        const page = renderPage(company, kind);
        hits.push({ url: this.urlOf(company, kind), title: page.title, content: page.summary, score: round(score * (kind === 'about' ? 0.95 : kind === 'home' ? 0.9 : 0.8)) });
      }
    }
    return hits;
  }

  urlOf(company: Company, kind: PageKind): string {
    const port = this.port();
    if (kind === 'directory') return `http://${DIRECTORY_HOST}:${port}/companies/${company.slug}`;
    return `http://${company.slug}.rowfill.test:${port}${kind === 'home' ? COMPANY_PATHS[0] : COMPANY_PATHS[1]}`;
  }
}

function tokens(text: string): string[] {
  return text
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9\s]/g, '')
    .split(/\s+/)
    .filter((t) => t !== '' && !STOP.has(t));
}

function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}
