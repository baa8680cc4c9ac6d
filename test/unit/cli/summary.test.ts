// The end-of-run summary of research jobs: simulated search is labelled, and a pause the search service caused names its key.
import { describe, expect, it } from 'vitest';
import { nextStep, summaryJson, summaryText } from '../../../backend/src/cli/summary.js';
import type { FileTarget, Job, JobCounts } from '../../../backend/src/ports/domain.js';

const counts = { total: 3, done: 0, cached: 0, failed: 0, skipped: 0, cancelled: 0, queued: 3, running: 0, spentUsd: 0.0004, reservedUsd: 0, errorsByClass: {}, retriesByClass: {} } as unknown as JobCounts;
const FILE: FileTarget = { kind: 'file', source: '/data/brands.csv', out: '/data/brands.enriched.csv' };
const research = { inputs: ['Brand'], outputs: [], model: 'gpt-4.1-mini', research: { enabled: true, maxSearches: 3, maxPages: 2 } };

function job(patch: Partial<Record<keyof Job, unknown>>): Job {
  return { id: 'job_0123456789ab', status: 'completed', pauseReason: null, budgetUsd: 1, simulated: false, message: null, target: FILE, config: research, ...patch } as unknown as Job;
}

describe('summary of a research job', () => {
  it('a pause from a rejected Tavily key says to fix TAVILY_API_KEY, not the OpenAI key or quota', () => {
    const paused = job({ status: 'paused', pauseReason: 'quota', message: 'Tavily rejected the API key (401): Unauthorized. Set TAVILY_API_KEY to a valid key' });
    expect(nextStep(paused)).toBe('The web search service stopped the job (see the reason above). Fix TAVILY_API_KEY or the Tavily plan, then: rowfill resume job_0123456789ab');
    const auth = job({ status: 'paused', pauseReason: 'auth', message: 'Tavily rejected the API key (403). Set TAVILY_API_KEY to a valid key' });
    expect(nextStep(auth)).toContain('Fix TAVILY_API_KEY');
  });

  it('a model pause of a research job still names the OpenAI account', () => {
    expect(nextStep(job({ status: 'paused', pauseReason: 'quota', message: 'insufficient_quota' }))).toBe('The OpenAI account is out of quota. Add credit, then: rowfill resume job_0123456789ab');
  });

  it('labels searches simulated when the local stand-in answered, in text and JSON', () => {
    const simulated = job({ target: { ...FILE, search: 'simulated' } });
    expect(summaryText({ job: simulated, counts, elapsedMs: 1000, out: undefined, interrupted: false }).split('\n')[0]).toBe('Completed — job job_0123456789ab [simulated search: local stand-in]');
    expect(JSON.parse(summaryJson({ job: simulated, counts, elapsedMs: 1000, out: undefined, interrupted: false }))).toMatchObject({ simulated: false, searchSimulated: true });
    const real = job({ target: { ...FILE, search: 'tavily' } });
    expect(summaryText({ job: real, counts, elapsedMs: 1000, out: undefined, interrupted: false })).not.toContain('simulated');
  });
});
