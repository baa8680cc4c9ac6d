// The end-of-run summary: counts, errors by class, spend, time and rate — and what to do next when paused.
import type { Job, JobCounts } from '../ports/domain.js';
import { formatDuration, usd } from './progress-view.js';

export interface RunSummary {
  readonly job: Job;
  readonly counts: JobCounts;
  readonly elapsedMs: number;
  /** Rows this run finished (done or failed), for the rate; default: all of the job's. */
  readonly processed?: number;
  readonly out: string | undefined;
  readonly interrupted: boolean;
}

export function nextStep(job: Job): string | undefined {
  if (job.status !== 'paused') return undefined;
  // The search service's key and plan pause a research job under the model's reasons (auth, quota); its errors name it.
  if ((job.pauseReason === 'auth' || job.pauseReason === 'quota') && job.config.research?.enabled && /^Tavily\b/.test(job.message ?? '')) {
    return `The web search service stopped the job (see the reason above). Fix TAVILY_API_KEY or the Tavily plan, then: rowfill resume ${job.id}`;
  }
  switch (job.pauseReason) {
    case 'budget':
      return `The budget is spent. Raise it to go on: rowfill resume ${job.id} --budget <usd>`;
    case 'auth':
      return `The API key was rejected. Fix OPENAI_API_KEY, then: rowfill resume ${job.id}`;
    case 'quota':
      return `The OpenAI account is out of quota. Add credit, then: rowfill resume ${job.id}`;
    case 'failure_rate':
      return `Too many rows failed in a row; check the errors above, then: rowfill resume ${job.id} (or rowfill retry-failed ${job.id})`;
    default:
      return `Continue with: rowfill resume ${job.id}`;
  }
}

/** A research job started without TAVILY_API_KEY: its searches and pages came from the local stand-in. */
function searchSimulated(job: Job): boolean {
  return job.config.research?.enabled === true && job.target.kind === 'file' && job.target.search === 'simulated';
}

export function summaryText(s: RunSummary): string {
  const { job, counts: c } = s;
  const minutes = s.elapsedMs / 60_000;
  const processed = s.processed ?? c.done + c.failed;
  const lines = [
    `${s.interrupted ? 'Interrupted' : job.status === 'completed' ? 'Completed' : job.status === 'paused' ? `Paused (${job.pauseReason ?? 'user'})` : job.status} — job ${job.id}${job.simulated ? ' [simulated model: local stand-in]' : ''}${searchSimulated(job) ? ' [simulated search: local stand-in]' : ''}`,
    `  rows     ${c.total} total · ${c.done} done${c.cached ? ` (${c.cached} from cache)` : ''} · ${c.failed} failed · ${c.skipped} skipped (unchanged) · ${c.queued + c.running} not yet run${c.cancelled ? ` · ${c.cancelled} cancelled` : ''}`,
    `  spent    ${usd(c.spentUsd)}${job.budgetUsd !== null ? ` of ${usd(job.budgetUsd)} budget` : ''}`,
    `  time     ${formatDuration(s.elapsedMs)}${processed > 0 && minutes > 0 ? ` · ${Math.round(processed / minutes)} rows/min` : ''}`,
  ];
  const errors = Object.entries(c.errorsByClass).filter(([, n]) => (n ?? 0) > 0);
  if (errors.length > 0) lines.push(`  failed   ${errors.map(([k, n]) => `${k} ${n}`).join(' · ')}`);
  const retries = Object.entries(c.retriesByClass).filter(([, n]) => (n ?? 0) > 0);
  if (retries.length > 0) lines.push(`  retried  ${retries.map(([k, n]) => `${k} ${n}`).join(' · ')}`);
  if (job.message && job.status === 'paused') lines.push(`  reason   ${job.message}`);
  if (s.out) lines.push(`  output   ${s.out}`);
  const next = s.interrupted ? `Continue with: rowfill resume ${job.id}` : nextStep(job);
  if (next) lines.push(next);
  else if (c.failed > 0) lines.push(`Re-run the failed rows with: rowfill retry-failed ${job.id}`);
  return lines.join('\n');
}

export function summaryJson(s: RunSummary): string {
  return JSON.stringify({
    type: 'summary',
    jobId: s.job.id,
    status: s.job.status,
    pauseReason: s.job.pauseReason,
    interrupted: s.interrupted,
    simulated: s.job.simulated,
    ...(s.job.config.research?.enabled ? { searchSimulated: searchSimulated(s.job) } : {}),
    ...s.counts,
    budgetUsd: s.job.budgetUsd,
    elapsedMs: Math.round(s.elapsedMs),
    out: s.out ?? null,
    next: s.interrupted ? `rowfill resume ${s.job.id}` : (nextStep(s.job) ?? null),
  });
}
