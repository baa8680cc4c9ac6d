// Renders job progress for a terminal: a live bar on a TTY, a plain line every few seconds otherwise, or JSON lines.
import type { Progress } from '../engine/engine.js';

export type ProgressMode = 'tty' | 'plain' | 'json';

export function formatDuration(ms: number | null): string {
  if (ms === null || !Number.isFinite(ms)) return '?';
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}

export function usd(value: number): string {
  return `$${value < 1 ? value.toFixed(4) : value.toFixed(2)}`;
}

function bar(fraction: number, width: number): string {
  const filled = Math.round(Math.max(0, Math.min(1, fraction)) * width);
  return `${'█'.repeat(filled)}${'░'.repeat(width - filled)}`;
}

export function progressLine(p: Progress, withBar: boolean): string {
  const c = p.counts;
  const finished = c.done + c.failed + c.skipped + c.cancelled;
  const fraction = c.total === 0 ? 1 : finished / c.total;
  const budget = p.job.budgetUsd === null ? '' : ` / ${usd(p.job.budgetUsd)}`;
  const parts = [
    `${withBar ? `${bar(fraction, 24)} ` : ''}${(fraction * 100).toFixed(1)}%`,
    `${finished}/${c.total} rows`,
    `done ${c.done}${c.cached ? ` (${c.cached} cached)` : ''}`,
    `failed ${c.failed}`,
    `skipped ${c.skipped}`,
    `spent ${usd(c.spentUsd)}${budget}`,
    `${Math.round(p.rowsPerMinute)} rows/min`,
    `ETA ${formatDuration(p.etaMs)}`,
  ];
  if (p.job.status === 'paused') parts.push(`paused: ${p.job.pauseReason ?? 'user'}`);
  return parts.join(' · ');
}

export function progressJson(p: Progress): string {
  return JSON.stringify({
    type: 'progress',
    jobId: p.job.id,
    status: p.job.status,
    pauseReason: p.job.pauseReason,
    ...p.counts,
    budgetUsd: p.job.budgetUsd,
    rowsPerMinute: Math.round(p.rowsPerMinute * 10) / 10,
    etaMs: p.etaMs === null ? null : Math.round(p.etaMs),
    elapsedMs: Math.round(p.elapsedMs),
  });
}

export interface ProgressWriter {
  update(p: Progress): void;
  /** Leave the terminal clean before the summary. */
  end(): void;
}

export function progressWriter(mode: ProgressMode, out: NodeJS.WritableStream, err: NodeJS.WritableStream, plainEveryMs = 5000): ProgressWriter {
  let lastPlain = Number.NEGATIVE_INFINITY;
  let lastLine = '';
  let drawn = false;
  return {
    update(p) {
      if (mode === 'json') out.write(`${progressJson(p)}\n`);
      else if (mode === 'tty') {
        err.write(`\r\x1b[2K${progressLine(p, true)}`);
        drawn = true;
      } else if (p.elapsedMs - lastPlain >= plainEveryMs || p.settled) {
        const line = progressLine(p, false).replace(/ · \d+ rows\/min · ETA \S+/, '');
        if (line === lastLine) return;
        lastPlain = p.elapsedMs;
        lastLine = line;
        err.write(`${progressLine(p, false)}\n`);
      }
    },
    end() {
      if (drawn) err.write('\n');
      drawn = false;
    },
  };
}
