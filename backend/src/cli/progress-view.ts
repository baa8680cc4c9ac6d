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

/** One field of the progress line; fields with a higher `drop` go first when the terminal is too narrow. */
interface Field {
  readonly text: string;
  readonly drop: number;
}

function progressFields(p: Progress, withBar: boolean): Field[] {
  const c = p.counts;
  const finished = c.done + c.failed + c.skipped + c.cancelled;
  const fraction = c.total === 0 ? 1 : finished / c.total;
  const budget = p.job.budgetUsd === null ? '' : ` / ${usd(p.job.budgetUsd)}`;
  const fields: Field[] = [
    ...(withBar ? [{ text: bar(fraction, 24), drop: 4 }] : []),
    { text: `${(fraction * 100).toFixed(1)}%`, drop: 0 },
    { text: `${finished}/${c.total} rows`, drop: 1 },
    { text: `done ${c.done}${c.cached ? ` (${c.cached} cached)` : ''}`, drop: 5 },
    { text: `failed ${c.failed}`, drop: 6 },
    { text: `skipped ${c.skipped}`, drop: 8 },
    { text: `spent ${usd(c.spentUsd)}${budget}`, drop: 2 },
    { text: `${Math.round(p.rowsPerMinute)} rows/min`, drop: 7 },
    { text: `ETA ${formatDuration(p.etaMs)}`, drop: 3 },
  ];
  // A cheap job's rows wait at the provider: say how many, since they finish a whole batch at a time.
  if (p.job.config.mode === 'cheap' && c.running > 0) fields.splice(withBar ? 4 : 3, 0, { text: `in batch ${c.running}`, drop: 4 });
  if (p.job.status === 'paused') fields.push({ text: `paused: ${p.job.pauseReason ?? 'user'}`, drop: 1 });
  return fields;
}

function isBar(field: Field | undefined): boolean {
  return field !== undefined && /^[█░]+$/.test(field.text);
}

/** `█████░░░ 41.2% · 412/1000 rows · …`: the bar sits next to its percentage, the rest are separated by dots. */
function joinFields(fields: readonly Field[]): string {
  return fields.map((f, i) => (i === 0 ? f.text : `${isBar(fields[i - 1]) ? ' ' : ' · '}${f.text}`)).join('');
}

/**
 * The line, at most `maxWidth` characters: whole fields are dropped, least important first (skipped, rows/min,
 * failed, done, the bar, the ETA …), and only the percentage is ever cut. Every character drawn here is one column
 * wide (digits, ASCII words, █ ░ ·), so the string's length in code points is its width on screen.
 */
export function progressLine(p: Progress, withBar: boolean, maxWidth = Number.POSITIVE_INFINITY): string {
  let fields = progressFields(p, withBar);
  let line = joinFields(fields);
  while ([...line].length > maxWidth && fields.some((f) => f.drop > 0)) {
    const worst = Math.max(...fields.map((f) => f.drop));
    fields = fields.filter((f) => f.drop !== worst);
    line = joinFields(fields);
  }
  const chars = [...line];
  return chars.length > maxWidth ? `${chars.slice(0, Math.max(0, maxWidth - 1)).join('')}…` : line;
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

/** JSON progress lines come at most once a second (and once more when the job settles), however often it is sampled. */
const JSON_EVERY_MS = 1000;

export function progressWriter(mode: ProgressMode, out: NodeJS.WritableStream, err: NodeJS.WritableStream, plainEveryMs = 5000): ProgressWriter {
  let lastPlain = Number.NEGATIVE_INFINITY;
  let lastJson = Number.NEGATIVE_INFINITY;
  let lastLine = '';
  let drawn = false;
  return {
    update(p) {
      if (mode === 'json') {
        if (p.elapsedMs - lastJson < JSON_EVERY_MS && !p.settled) return;
        lastJson = p.elapsedMs;
        out.write(`${progressJson(p)}\n`);
      } else if (mode === 'tty') {
        // Drawn up to the column before the last: a line that reaches the edge wraps, and each redraw would scroll.
        const columns = (err as NodeJS.WriteStream).columns || (out as NodeJS.WriteStream).columns || 80;
        err.write(`\r\x1b[2K${progressLine(p, true, Math.max(1, columns - 1))}`);
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
