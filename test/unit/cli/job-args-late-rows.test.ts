// --late-rows: where an expired batch's unanswered rows go in cheap mode (batch by default, or fast calls).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseJobArgs } from '../../../backend/src/cli/job-args.js';
import { buildProgram } from '../../../backend/src/cli/main.js';

const dir = mkdtempSync(join(tmpdir(), 'rowfill-args-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const base = { input: ['Brand'], output: ['Founded:number=Year founded'], budget: '1' };
const configOf = (flags: Record<string, unknown>) => parseJobArgs({ ...base, ...flags }, { budgetRequired: true }).config;

describe('--late-rows', () => {
  it('takes fast or batch with --mode cheap; batch (the default) stores nothing', () => {
    expect(configOf({ mode: 'cheap', lateRows: 'fast' }).lateRows).toBe('fast');
    expect(configOf({ mode: 'cheap', lateRows: ' FAST ' }).lateRows).toBe('fast');
    expect('lateRows' in configOf({ mode: 'cheap', lateRows: 'batch' })).toBe(false);
    expect('lateRows' in configOf({ mode: 'cheap' })).toBe(false);
  });

  it('reads lateRows from --config too', () => {
    const file = join(dir, 'rowfill.json');
    writeFileSync(file, JSON.stringify({ mode: 'cheap', lateRows: 'fast' }));
    expect(configOf({ config: file }).lateRows).toBe('fast');
  });

  it('refuses a bad value, and the flag without --mode cheap, with one exact line', () => {
    expect(() => configOf({ mode: 'cheap', lateRows: 'later' })).toThrow(/^--late-rows must be batch or fast, got "later"$/);
    expect(() => configOf({ lateRows: 'fast' })).toThrow(/^--late-rows applies to cheap mode only: add --mode cheap$/);
    expect(() => configOf({ mode: 'fast', lateRows: 'batch' })).toThrow(/^--late-rows applies to cheap mode only: add --mode cheap$/);
  });

  it('is an option of enrich', () => {
    const program = buildProgram({ stdout: process.stdout, stderr: process.stderr } as never, () => undefined);
    const enrich = program.commands.find((c) => c.name() === 'enrich')!;
    expect(enrich.options.map((o) => o.long)).toContain('--late-rows');
  });
});
