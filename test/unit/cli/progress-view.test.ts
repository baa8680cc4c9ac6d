// The live progress line fits the terminal it is drawn in, so each redraw replaces the line instead of scrolling.
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { Progress } from '../../../backend/src/engine/engine.js';
import type { Job, JobCounts } from '../../../backend/src/ports/domain.js';
import { progressWriter } from '../../../backend/src/cli/progress-view.js';

/** A terminal `columns` wide that keeps what is drawn on it. */
function terminal(columns: number): NodeJS.WriteStream & { text: string } {
  const stream = new Writable({
    write(chunk: Buffer | string, _encoding, callback) {
      (stream as unknown as { text: string }).text += String(chunk);
      callback();
    },
  }) as unknown as NodeJS.WriteStream & { text: string };
  stream.text = '';
  Object.assign(stream, { isTTY: true, columns });
  return stream;
}

function progress(paused = false, mode: 'fast' | 'cheap' = 'fast'): Progress {
  const counts = { total: 100_000, done: 45_210, cached: 1_204, failed: 1_337, skipped: 12_004, cancelled: 0, queued: 41_449, running: 50, spentUsd: 12.3456, reservedUsd: 0.2 } as unknown as JobCounts;
  const job = { id: 'job_0123456789ab', status: paused ? 'paused' : 'running', pauseReason: paused ? 'budget' : null, budgetUsd: 250, config: mode === 'cheap' ? { mode } : {} } as unknown as Job;
  return { job, counts, rowsPerMinute: 12_345.6, etaMs: 3_725_000, elapsedMs: 60_000, settled: false };
}

/** The lines drawn in place: what follows each "return to column 0 and clear the line". */
function drawnLines(text: string): string[] {
  return text.split('\r\x1b[2K').slice(1).map((line) => line.replace(/\n$/, ''));
}

describe('the live progress line', () => {
  it.each([120, 100, 80, 60, 40, 20])('never reaches the last column of a %i-column terminal', (columns) => {
    const err = terminal(columns);
    const writer = progressWriter('tty', terminal(columns), err);
    writer.update(progress());
    writer.update(progress(true));
    writer.end();
    const lines = drawnLines(err.text);
    expect(lines).toHaveLength(2);
    for (const line of lines) {
      expect([...line].length).toBeLessThan(columns);
      expect(line).toMatch(/\d+\.\d%/);
    }
  });

  it('drops the least important fields first and keeps the percentage, the rows and the spend', () => {
    const err = terminal(80);
    progressWriter('tty', terminal(80), err).update(progress(true));
    const [line] = drawnLines(err.text);
    expect(line).toContain('58.6%');
    expect(line).toContain('58551/100000 rows');
    expect(line).toContain('spent $12.35 / $250.00');
    expect(line).toContain('paused: budget');
    expect(line).not.toContain('skipped');
  });

  it('shows every field when the terminal is wide enough', () => {
    const err = terminal(200);
    progressWriter('tty', terminal(200), err).update(progress());
    const [line] = drawnLines(err.text);
    for (const field of ['█', 'done 45210 (1204 cached)', 'failed 1337', 'skipped 12004', '12346 rows/min', 'ETA 1h02m']) expect(line).toContain(field);
  });

  it('follows a terminal resized while the job runs', () => {
    const err = terminal(200);
    const writer = progressWriter('tty', terminal(200), err);
    writer.update(progress());
    Object.assign(err, { columns: 50 });
    writer.update(progress());
    const lines = drawnLines(err.text);
    expect([...lines[0]!].length).toBeGreaterThan(50);
    expect([...lines[1]!].length).toBeLessThan(50);
  });

  it('says how many rows of a cheap job wait in a batch, and keeps within the terminal', () => {
    const err = terminal(200);
    const writer = progressWriter('tty', terminal(200), err);
    writer.update(progress(false, 'cheap'));
    writer.update(progress(false, 'fast'));
    writer.end();
    const [cheap, fast] = drawnLines(err.text);
    expect(cheap).toContain(' · in batch 50 · ');
    expect(fast).not.toContain('in batch');
    const narrow = terminal(40);
    const small = progressWriter('tty', terminal(40), narrow);
    small.update(progress(false, 'cheap'));
    small.end();
    expect([...drawnLines(narrow.text)[0]!].length).toBeLessThan(40);
  });
});
