// A cheap job that only waits for its batch sleeps until the batch's next poll: no step holds, no provider calls, no
// pump every interval (decision 45's poll backoff reaches the pump, not only the provider).
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { TaskSpec } from '../../../../backend/src/ports/queue.js';
import { brandRows, jobConfig, testTarget } from '../../../helpers/embedded-harness.js';
import { startCheapHarness, type CheapHarness } from '../../../helpers/cheap-harness.js';

let h: CheapHarness | undefined;
afterEach(async () => {
  vi.restoreAllMocks();
  await h?.close();
  h = undefined;
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits until `test` holds, polling every 20 ms; fails after `ms`. */
async function until<T>(what: string, ms: number, test: () => Promise<T | undefined>): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const value = await test();
    if (value !== undefined) return value;
    if (Date.now() > end) throw new Error(`${what}: not within ${ms} ms`);
    await sleep(20);
  }
}

describe('cheap mode while a batch is at the provider', () => {
  it('takes no hold, calls no provider and runs no pump before the batch is due, then polls it on time', async () => {
    // Polls 2.5 s apart (the harness pumps every 100 ms); the stand-in takes 7 s, so two polls find the batch running.
    h = await startCheapHarness({ standIn: { batchDelayMs: 7000 }, cheap: { pollMinMs: 2500, pollMaxMs: 2500 } });
    const harness = h;
    const job = await harness.engine.startJob({ owner: 'test', target: testTarget('cheap-polling'), config: jobConfig({ mode: 'cheap', budgetUsd: 5 }), rows: brandRows(20) });
    const submitted = await until('batch submitted', 10_000, async () => {
      const record = await harness.batches.getBatch(job.id, 0);
      return record?.phase === 'submitted' ? record : undefined;
    });
    // The tick after the submit writes the rows' "in batch" status; from then on the job only waits.
    await sleep(400);
    const holds = vi.spyOn(harness.store, 'holdCacheKey');
    const provider = (['retrieve', 'cancel', 'create', 'find', 'upload', 'findUploadedFile'] as const).map((method) => vi.spyOn(harness.client, method));
    const enqueue = vi.spyOn(harness.queue, 'enqueue');
    const pumps = (): TaskSpec[] => enqueue.mock.calls.flatMap(([tasks]) => tasks.filter((task) => task.kind === 'pump'));

    const pollAt = submitted.nextPollAt;
    await sleep(pollAt - Date.now() - 300);
    expect(holds).not.toHaveBeenCalled();
    for (const call of provider) expect(call).not.toHaveBeenCalled();
    // At most one pump was scheduled meanwhile (none when the one that sleeps was scheduled before the spy), for the poll.
    expect(pumps().length).toBeLessThanOrEqual(1);
    for (const pump of pumps()) expect(pump.scheduleAt ?? 0).toBeGreaterThanOrEqual(pollAt);

    // The poll happens on time, held as before, and the next pump follows the batch's new poll time.
    const polled = await until('first poll', 2_000, async () => {
      const record = await harness.batches.getBatch(job.id, 0);
      return record !== undefined && record.polls >= 1 ? record : undefined;
    });
    expect(polled.providerStatus).toBe('in_progress');
    expect(provider[0]).toHaveBeenCalledTimes(1);
    expect(holds).toHaveBeenCalled();
    await until('the next pump scheduled for the next poll', 1_000, () => Promise.resolve(pumps().some((pump) => (pump.scheduleAt ?? 0) >= polled.nextPollAt) ? true : undefined));
    const early = pumps().filter((pump) => (pump.scheduleAt ?? 0) > pollAt && (pump.scheduleAt ?? 0) < polled.nextPollAt);
    expect(early).toEqual([]);

    const { status, counts } = await harness.rest(job.id, 30_000);
    expect(status).toBe('completed');
    expect(counts.done).toBe(20);
  }, 40_000);
});
