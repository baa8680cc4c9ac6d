// The search stand-in's mutable state in one place: settings, corpus and index, limiter, seeded draws, log, timers.
import { performance } from 'node:perf_hooks';
import { seededRandom } from '../openai/prng.js';
import { TokenBucket } from '../openai/rate-limits.js';
import { buildCorpus, type Company } from './corpus.js';
import { SearchRequestLog } from './request-log.js';
import { SearchIndex } from './search-index.js';
import { applySearchSettings, type SearchStandInSettings } from './settings.js';

export class SearchStandInState {
  settings: SearchStandInSettings;
  index: SearchIndex;
  bySlug: Map<string, Company>;
  random: () => number;
  limiter: TokenBucket | null;
  readonly log: SearchRequestLog;
  port = 0;
  private requestSeq = 0;
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(settings: SearchStandInSettings) {
    this.settings = settings;
    this.random = seededRandom(settings.seed);
    this.limiter = bucketFor(settings);
    this.log = new SearchRequestLog(settings.logLimit);
    [this.index, this.bySlug] = this.buildIndex(settings);
  }

  /** Validates and applies a patch; the corpus is rebuilt only when seed or companies are named, the limit restarts full when named. */
  configure(patch: unknown): SearchStandInSettings {
    const next = applySearchSettings(this.settings, patch);
    const named = (key: keyof SearchStandInSettings): boolean => typeof patch === 'object' && patch !== null && key in patch;
    this.settings = next;
    if (named('rpm') || named('burstSeconds')) this.limiter = bucketFor(next);
    if (named('seed')) this.random = seededRandom(next.seed);
    if (named('seed') || named('companies')) [this.index, this.bySlug] = this.buildIndex(next);
    if (named('logLimit')) this.log.setLimit(next.logLimit);
    return next;
  }

  nextRequestId(): string {
    return `standin-${(++this.requestSeq).toString(16).padStart(8, '0')}`;
  }

  now(): number {
    return performance.now();
  }

  schedule(ms: number, run: () => void): NodeJS.Timeout {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      run();
    }, ms);
    this.timers.add(timer);
    return timer;
  }

  cancel(timer: NodeJS.Timeout): void {
    clearTimeout(timer);
    this.timers.delete(timer);
  }

  cancelAll(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }

  private buildIndex(settings: SearchStandInSettings): [SearchIndex, Map<string, Company>] {
    const companies = buildCorpus({ seed: settings.seed, generated: settings.companies, brands: true });
    return [new SearchIndex(companies, () => this.port), new Map(companies.map((c) => [c.slug, c]))];
  }
}

function bucketFor(settings: SearchStandInSettings): TokenBucket | null {
  return settings.rpm === null ? null : new TokenBucket(settings.rpm, settings.burstSeconds, performance.now());
}
