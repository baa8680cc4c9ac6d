// The Firestore-backed Sheets quota on Google's emulator: two instances sharing one budget stay within it, fairly, with no hot document.
import type { Firestore } from '@google-cloud/firestore';
import { afterEach, describe, expect, it } from 'vitest';
import { FirestoreSheetsQuota, type CommitTouch } from '../../backend/src/adapters/firestore/index.js';
import type { Clock } from '../../backend/src/ports/clock.js';
import type { SheetsQuotaAnswer } from '../../backend/src/ports/sheets-quota.js';
import { emulatorClient, freshRootPath } from '../setup/firestore-client.js';
import { firestoreEmulatorHost } from '../setup/firestore-emulator-host.js';

const host = firestoreEmulatorHost();

/** The most grants that fall in any 60-second window. */
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

const clients: Firestore[] = [];
afterEach(async () => {
  const [first] = clients;
  for (const client of clients.splice(0)) {
    if (client === first) continue;
    await client.terminate();
  }
  await first?.terminate();
});

describe.skipIf(!host)('FirestoreSheetsQuota on the emulator', () => {
  it('keeps two instances sharing one budget within it in every 60-second window, shares it across spreadsheets, and writes no document more than once a second', async () => {
    const rootPath = freshRootPath();
    let t = 1_700_000_000_000;
    // Simulated time, shared by both instances as NTP-synchronised clocks would be: the budget's minutes pass in moments.
    const clock: Clock = { now: () => t, sleep: () => Promise.resolve() };
    const writes = new Map<string, number>();
    const onCommit = (touches: readonly CommitTouch[]) => {
      for (const touch of touches) if (touch.kind === 'write') writes.set(touch.path, (writes.get(touch.path) ?? 0) + 1);
    };
    const instances = [0, 1].map(() => {
      const firestore = emulatorClient(host!);
      clients.push(firestore);
      return new FirestoreSheetsQuota({ firestore, rootPath, readsPerMinute: 20, writesPerMinute: 20, clock, onCommit });
    });
    const reads: number[] = [];
    const writeGrants: number[] = [];
    const bySheet = new Map<string, number>();
    const steps = 200;
    for (let step = 0; step < steps; step++) {
      t += 750;
      // Each instance flushes two spreadsheets at the same moment; every request races the other instance's.
      const asks = instances.flatMap((quota, i) =>
        [0, 1].map(async (k) => {
          const spreadsheetId = `sheet-${i}-${k}`;
          const answer = await quota.tryAcquire({ spreadsheetId, cost: { reads: 1, writes: 1 }, priority: 'background' });
          if (!answer.granted) return;
          reads.push(t);
          writeGrants.push(t);
          bySheet.set(spreadsheetId, (bySheet.get(spreadsheetId) ?? 0) + 1);
        }),
      );
      await Promise.all(asks);
    }
    expect(busiestMinute(reads)).toBeLessThanOrEqual(20);
    expect(busiestMinute(writeGrants)).toBeLessThanOrEqual(20);
    // 150 simulated seconds of a 16-a-minute background share: most of it used, and every spreadsheet served.
    expect(writeGrants.length).toBeGreaterThanOrEqual(20);
    const counts = [...bySheet.values()];
    expect(counts).toHaveLength(4);
    expect(Math.min(...counts)).toBeGreaterThanOrEqual(Math.max(...counts) / 3);
    // No hot document: over 150 simulated seconds, each shard and waiting record took at most one write a second.
    expect(Math.max(...writes.values())).toBeLessThanOrEqual((steps * 750) / 1000);
  }, 120_000);

  it('answers "not now" when a burst of instances keeps racing for one shard, instead of failing the request', async () => {
    // Ten jobs started at once on ten instances: every start races the others for the one read shard. A request that
    // keeps losing the race must be told to wait (a start then waits or is refused 429, a flush carries its rows),
    // never fail: the bench's ten-job start answered `500 internal`.
    const rootPath = freshRootPath();
    const instances = Array.from({ length: 10 }, () => {
      const firestore = emulatorClient(host!);
      clients.push(firestore);
      // One try a request: every race lost is one this request cannot retry.
      return new FirestoreSheetsQuota({ firestore, rootPath, readsPerMinute: 60, writesPerMinute: 60, maxCommitAttempts: 1 });
    });
    const answers: Array<SheetsQuotaAnswer | Error> = await Promise.all(
      instances.flatMap((quota, i) =>
        (['interactive', 'background'] as const).map((priority) =>
          quota.tryAcquire({ spreadsheetId: `sheet-${i}`, cost: { reads: 2, writes: 1 }, priority }).catch((error: unknown) => (error instanceof Error ? error : new Error(String(error)))),
        ),
      ),
    );
    expect(answers.flatMap((a) => (a instanceof Error ? [a.message] : []))).toEqual([]);
    const given = answers.filter((a): a is SheetsQuotaAnswer => !(a instanceof Error));
    expect(given.filter((a) => a.granted).length).toBeGreaterThan(0);
    for (const answer of given) if (!answer.granted) expect(answer.retryAfterMs).toBeGreaterThan(0);
  }, 60_000);

  it('refuses bad settings with messages that name them', () => {
    const firestore = emulatorClient(host!);
    clients.push(firestore);
    expect(() => new FirestoreSheetsQuota({ firestore, rootPath: 'rowfill', readsPerMinute: 60, writesPerMinute: 60 })).toThrow(
      'FirestoreSheetsQuota: rootPath must be a document path such as "rowfill/default", got "rowfill"',
    );
    expect(() => new FirestoreSheetsQuota({ firestore, rootPath: 'rowfill/x', readsPerMinute: 60, writesPerMinute: 60, writeShards: 0 })).toThrow(
      'FirestoreSheetsQuota: writeShards must be a whole number from 1 to the budget per minute (60), got 0',
    );
  });
});
