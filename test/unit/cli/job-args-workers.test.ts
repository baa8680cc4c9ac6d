// --workers: 1–50 rows in flight, or auto (as many as the rate limits allow), from a flag or --config.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseJobArgs } from '../../../backend/src/cli/job-args.js';
import { UsageError } from '../../../backend/src/cli/usage-error.js';

const dir = mkdtempSync(join(tmpdir(), 'rowfill-args-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const base = { input: ['Brand'], output: ['Founded:number=Year founded'], budget: '1' };
const workersOf = (flags: Record<string, unknown>) => parseJobArgs({ ...base, ...flags }, { budgetRequired: true }).config.workers;

describe('--workers', () => {
  it('takes auto in any case, a whole number from 1 to 50, or defaults to 8', () => {
    expect(workersOf({ workers: 'auto' })).toBe('auto');
    expect(workersOf({ workers: ' AUTO ' })).toBe('auto');
    expect(workersOf({ workers: '50' })).toBe(50);
    expect(workersOf({})).toBe(8);
  });

  it('takes "auto" from a config file', () => {
    const file = join(dir, 'rowfill.json');
    writeFileSync(file, JSON.stringify({ workers: 'auto' }));
    expect(workersOf({ config: file })).toBe('auto');
  });

  it.each([
    ['0', '--workers must be between 1 and 50, or auto, got 0'],
    ['51', '--workers must be between 1 and 50, or auto, got 51'],
    ['500', '--workers must be between 1 and 50, or auto, got 500'],
    ['2.5', '--workers "2.5" is not a whole number or auto'],
    ['fast', '--workers "fast" is not a whole number or auto'],
    ['', '--workers "" is not a whole number or auto'],
  ])('refuses %j with one line naming the flag', (workers, message) => {
    expect(() => workersOf({ workers })).toThrow(UsageError);
    expect(() => workersOf({ workers })).toThrow(message);
  });
});
