// Research flags of enrich/estimate: defaults, --config, and exact one-line refusals naming the flag.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseJobArgs } from '../../../backend/src/cli/job-args.js';

const dir = mkdtempSync(join(tmpdir(), 'rowfill-args-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const base = { input: ['Brand'], output: ['Founded:number=Year founded'], budget: '1' };

describe('research flags', () => {
  it('--research alone takes the defaults (3 searches, 2 pages); a plain job carries no research setting', () => {
    expect(parseJobArgs({ ...base, research: true }, { budgetRequired: true }).config.research).toEqual({ enabled: true, maxSearches: 3, maxPages: 2 });
    const plain = parseJobArgs(base, { budgetRequired: true });
    expect(plain.config.research).toBeUndefined();
    expect(plain.searchRpm).toBeUndefined();
  });

  it('flags set the limits and the search rate; --max-pages 0 reads no pages', () => {
    const args = parseJobArgs({ ...base, research: true, maxSearches: '8', maxPages: '0', searchRpm: '250' }, { budgetRequired: true });
    expect(args.config.research).toEqual({ enabled: true, maxSearches: 8, maxPages: 0 });
    expect(args.searchRpm).toBe(250);
  });

  it('--config carries research, maxSearches, maxPages and searchRpm; flags win', () => {
    const file = join(dir, 'rowfill.json');
    writeFileSync(file, JSON.stringify({ research: true, maxSearches: 5, maxPages: 1, searchRpm: 60 }));
    const args = parseJobArgs({ ...base, config: file, maxPages: '3' }, { budgetRequired: true });
    expect(args.config.research).toEqual({ enabled: true, maxSearches: 5, maxPages: 3 });
    expect(args.searchRpm).toBe(60);
  });

  it('refuses bad values in a config file with one line', () => {
    const file = join(dir, 'bad.json');
    writeFileSync(file, JSON.stringify({ research: true, maxSearches: 12 }));
    expect(() => parseJobArgs({ ...base, config: file }, { budgetRequired: true })).toThrow('--max-searches must be between 1 and 8, got 12');
    writeFileSync(file, JSON.stringify({ research: 'yes' }));
    expect(() => parseJobArgs({ ...base, config: file }, { budgetRequired: true })).toThrow(/^Config file .*bad\.json: research: /);
  });
});
