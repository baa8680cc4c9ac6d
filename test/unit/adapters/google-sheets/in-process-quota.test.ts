// The Sheets quota governor in one process, on a fake clock: never over the budget in any minute, fair across spreadsheets.
import { describe, expect, it } from 'vitest';
import { InProcessSheetsQuota } from '../../../../backend/src/adapters/google-sheets/index.js';
import type { SheetsCost, SheetsPriority } from '../../../../backend/src/ports/sheets-quota.js';
import { FakeTime } from './fixtures.js';

/** The most grants that fall in any 60-second window (a window ending at each grant). */
function busiestMinute(times: readonly number[]): number {
  const sorted = [...times].sort((a, b) => a - b);
  let most = 0;
  let start = 0;
  for (let end = 0; end < sorted.length; end++) {
    while (sorted[end]! - sorted[start]! >= 60_000) start++;
    most = Math.max(most, end - start + 1);
  }
  return most;
}

interface Grants {
  readonly reads: number[];
  readonly writes: number[];
  readonly bySheet: Map<string, number>;
}

async function ask(quota: InProcessSheetsQuota, time: FakeTime, grants: Grants, spreadsheetId: string, cost: SheetsCost, priority: SheetsPriority): Promise<boolean> {
  const answer = await quota.tryAcquire({ spreadsheetId, cost, priority });
  if (!answer.granted) return false;
  for (let i = 0; i < cost.reads; i++) grants.reads.push(time.t);
  for (let i = 0; i < cost.writes; i++) grants.writes.push(time.t);
  grants.bySheet.set(spreadsheetId, (grants.bySheet.get(spreadsheetId) ?? 0) + 1);
  return true;
}

function emptyGrants(): Grants {
  return { reads: [], writes: [], bySheet: new Map() };
}

describe('InProcessSheetsQuota', () => {
  it('never grants more than the budget in any 60-second window, whatever asks and however often', async () => {
    const time = new FakeTime();
    const quota = new InProcessSheetsQuota({ readsPerMinute: 60, writesPerMinute: 60, clock: time.clock });
    const grants = emptyGrants();
    // Eight spreadsheets flushing (1 read + 1 write) every 250 ms, a job start (3 reads, 2 writes) every 7 s, for 5 minutes.
    for (let step = 0; step < 1200; step++) {
      time.advance(250);
      for (let s = 0; s < 8; s++) await ask(quota, time, grants, `sheet-${s}`, { reads: step % 13 === s ? 2 : 1, writes: 1 }, 'background');
      if (step % 28 === 0) await ask(quota, time, grants, 'starting', { reads: 3, writes: 2 }, 'interactive');
    }
    expect(busiestMinute(grants.reads)).toBeLessThanOrEqual(60);
    expect(busiestMinute(grants.writes)).toBeLessThanOrEqual(60);
    // The slots, the margin, the pacing and the reserve for people cost some of the budget, not most of it: over the
    // last 4 minutes at least half the writes were used.
    expect(grants.writes.filter((t) => t > time.t - 240_000).length).toBeGreaterThanOrEqual(120);
  });

  it('shares the budget fairly: a spreadsheet that asks ten times as often gets no more than the others', async () => {
    const time = new FakeTime();
    const quota = new InProcessSheetsQuota({ readsPerMinute: 30, writesPerMinute: 30, clock: time.clock });
    const grants = emptyGrants();
    const late = emptyGrants();
    for (let step = 0; step < 3600; step++) {
      time.advance(100);
      // The first two minutes settle in (at the very start nobody waits yet, so the first to ask takes what is there).
      const into = step < 1200 ? grants : late;
      await ask(quota, time, into, 'busy', { reads: 1, writes: 1 }, 'background');
      if (step % 10 === 0) {
        await ask(quota, time, into, 'quiet-1', { reads: 1, writes: 1 }, 'background');
        await ask(quota, time, into, 'quiet-2', { reads: 1, writes: 1 }, 'background');
      }
    }
    expect(busiestMinute([...grants.writes, ...late.writes])).toBeLessThanOrEqual(30);
    const [busy, quiet1, quiet2] = ['busy', 'quiet-1', 'quiet-2'].map((id) => late.bySheet.get(id) ?? 0) as [number, number, number];
    expect(Math.min(quiet1, quiet2)).toBeGreaterThanOrEqual(busy * 0.8);
    expect(busy + quiet1 + quiet2).toBeGreaterThanOrEqual(60);
  });

  it('makes the spreadsheet that flushed most recently yield to one that has waited longer', async () => {
    const time = new FakeTime();
    const quota = new InProcessSheetsQuota({ readsPerMinute: 10, writesPerMinute: 10, interactiveReserve: 0, clock: time.clock });
    const alone = emptyGrants();
    for (let second = 0; second < 80; second++) {
      time.advance(1000);
      await ask(quota, time, alone, 'a', { reads: 1, writes: 1 }, 'background');
    }
    // From now on both ask every second, a always first: as room comes back, a leaves it to b, which has gone longer without.
    const both = emptyGrants();
    for (let second = 0; second < 150; second++) {
      time.advance(1000);
      await ask(quota, time, both, 'a', { reads: 1, writes: 1 }, 'background');
      await ask(quota, time, both, 'b', { reads: 1, writes: 1 }, 'background');
    }
    expect(both.bySheet.get('b')).toBeGreaterThanOrEqual(both.bySheet.get('a') ?? 0);
    expect(busiestMinute([...alone.writes, ...both.writes])).toBeLessThanOrEqual(10);
  });

  it('keeps a reserve for people: flushes leave a fifth of the budget to job starts, which get through when flushes wait', async () => {
    const time = new FakeTime();
    const quota = new InProcessSheetsQuota({ readsPerMinute: 20, writesPerMinute: 20, clock: time.clock });
    const grants = emptyGrants();
    for (let step = 0; step < 240; step++) {
      time.advance(500);
      await ask(quota, time, grants, `sheet-${step % 3}`, { reads: 1, writes: 1 }, 'background');
    }
    expect(busiestMinute(grants.writes)).toBeLessThanOrEqual(16);
    const flush = await quota.tryAcquire({ spreadsheetId: 'sheet-0', cost: { reads: 1, writes: 1 }, priority: 'background' });
    expect(flush.granted).toBe(false);
    expect(await ask(quota, time, grants, 'new-job', { reads: 3, writes: 2 }, 'interactive')).toBe(true);
    const refused = await quota.tryAcquire({ spreadsheetId: 'new-job', cost: { reads: 3, writes: 3 }, priority: 'interactive' });
    expect(refused).toMatchObject({ granted: false, reason: 'quota' });
    expect(busiestMinute(grants.writes)).toBeLessThanOrEqual(20);
  });

  it('refuses bad settings with messages that name them', () => {
    expect(() => new InProcessSheetsQuota({ readsPerMinute: 0, writesPerMinute: 60 })).toThrow('InProcessSheetsQuota: readsPerMinute must be a whole number >= 1, got 0');
    expect(() => new InProcessSheetsQuota({ readsPerMinute: 60, writesPerMinute: 1.5 })).toThrow('InProcessSheetsQuota: writesPerMinute must be a whole number >= 1, got 1.5');
    expect(() => new InProcessSheetsQuota({ readsPerMinute: 60, writesPerMinute: 60, slotMs: 50 })).toThrow('InProcessSheetsQuota: slotMs must be a whole number of ms from 100 to 60000, got 50');
    expect(() => new InProcessSheetsQuota({ readsPerMinute: 60, writesPerMinute: 60, interactiveReserve: 0.9 })).toThrow('InProcessSheetsQuota: interactiveReserve must be a number from 0 to 0.5, got 0.9');
  });
});
