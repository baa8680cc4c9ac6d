// The budget when the provider misbehaves: usage above the token cap, answers too large to read, 200s with no choices.
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LocalQueue } from '../../../backend/src/adapters/local-queue/index.js';
import { OpenAiModelClient } from '../../../backend/src/adapters/openai/openai-model-client.js';
import { openDatabase } from '../../../backend/src/adapters/sqlite/database.js';
import { SqliteStore } from '../../../backend/src/adapters/sqlite/sqlite-store.js';
import { systemClock } from '../../../backend/src/adapters/system-clock/system-clock.js';
import { Engine } from '../../../backend/src/engine/engine.js';
import { costOf } from '../../../backend/src/engine/pricing.js';
import { DEFAULT_PRICES, priceFor } from '../../../backend/src/kernel/models.js';
import { brandRows, jobConfig, startHarness, testTarget, type Harness } from '../../helpers/embedded-harness.js';

let h: Harness | undefined;
const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
  await h?.close();
  h = undefined;
});

const billed = (harness: Harness) => harness.standIn.requestLog.filter((e) => e.billed).length;

/** A second engine on the same state file, as a later `rowfill resume` process would have: nothing shared in memory. */
async function secondProcess(harness: Harness): Promise<Engine> {
  await harness.queue.stop();
  const db = openDatabase({ path: join(harness.dir, 'rowfill.db') });
  const store = new SqliteStore(db);
  const queue = new LocalQueue({ db, clock: systemClock, pollIntervalMs: 20, minBackoffMs: 20, maxBackoffMs: 2000 });
  const model = new OpenAiModelClient({ apiKey: 'sk-test', baseURL: harness.standIn.url, simulated: true });
  const engine = new Engine({ store, queue, model, clock: systemClock }, { pumpIntervalMs: 100, backoff: { baseMs: 50, capMs: 500 } });
  queue.start(engine.handleTask);
  closers.push(async () => {
    await queue.stop();
    db.close();
  });
  return engine;
}

async function settle(engine: Engine, jobId: string) {
  let last;
  for await (const p of engine.progress(jobId, { intervalMs: 50, signal: AbortSignal.timeout(60_000) })) last = p;
  if (!last?.settled) throw new Error(`job ${jobId} did not settle`);
  return last;
}

describe('Engine when the provider breaks the money rules', () => {
  it('pauses at once when a call reports more completion tokens than reserved for, and a resumed job reserves for what was seen', async () => {
    h = await startHarness({ standIn: { faults: { overUsage: 1 }, overUsageTokens: 5000, latencyMs: 5 } });
    const job = await h.engine.startJob({ owner: 't', target: testTarget('s:over'), config: jobConfig({ workers: 1, budgetUsd: 0.05 }), rows: brandRows(60) });
    const paused = await h.settle(job.id);
    expect(paused.job.status).toBe('paused');
    expect(paused.job.pauseReason).toBe('budget');
    expect(paused.job.message).toContain('5000 completion tokens');
    expect(paused.job.message).toContain(`capped at ${job.config.maxOutputTokens}`);
    expect(billed(h)).toBe(1);
    // The row was answered, and what it was billed is charged.
    expect(paused.counts.done).toBe(1);
    expect(paused.counts.spentUsd).toBeGreaterThan(0.005);

    const later = await secondProcess(h);
    await later.resume(job.id);
    const end = await settle(later, job.id);
    expect(end.job.pauseReason).toBe('budget');
    expect(end.job.message).toContain('budget is used up');
    expect(end.counts.done).toBeGreaterThan(1);
    expect(end.counts.spentUsd).toBeLessThanOrEqual(0.05);
    expect(end.counts.reservedUsd).toBe(0);
  });

  it('refuses an answer over 1 MB unread: the job pauses for budget, the row stores nothing and its reservation counts as spent', async () => {
    h = await startHarness({ standIn: { faults: { hugeAnswer: 1 }, hugeAnswerBytes: 2_000_000, latencyMs: 5 } });
    const job = await h.engine.startJob({ owner: 't', target: testTarget('s:huge'), config: jobConfig({ workers: 1, budgetUsd: 1 }), rows: brandRows(10) });
    const paused = await h.settle(job.id);
    expect(paused.job).toMatchObject({ status: 'paused', pauseReason: 'budget' });
    expect(paused.job.message).toContain('larger than 1 MB');
    expect(billed(h)).toBe(1);
    expect(paused.counts).toMatchObject({ done: 0, failed: 0, queued: 10 });
    const rows = await h.store.listRows({ jobId: job.id, limit: 20 });
    expect(rows.every((r) => r.outputs === null)).toBe(true);
    expect(paused.counts.spentUsd).toBeGreaterThan(0);
    expect(paused.counts.spentUsd).toBeCloseTo(rows.reduce((s, r) => s + r.costUsd, 0), 9);
  });

  it('charges a 200 with no choices for its reported usage and treats it as an invalid answer: one repair, then output_invalid', async () => {
    h = await startHarness({ standIn: { faults: { emptyChoices: 1 } } });
    const job = await h.engine.startJob({ owner: 't', target: testTarget('s:empty'), config: jobConfig({ workers: 2 }), rows: brandRows(6) });
    const end = await h.settle(job.id);
    expect(end.job.status).toBe('completed');
    expect(end.counts).toMatchObject({ failed: 6, done: 0, errorsByClass: { output_invalid: 6 } });
    expect(billed(h)).toBe(12);
    const rows = await h.store.listRows({ jobId: job.id, limit: 20 });
    expect(rows.every((r) => r.costUsd > 0 && r.usage.inputTokens > 0 && r.attempt === 1)).toBe(true);
    expect(end.counts.spentUsd).toBeCloseTo(rows.reduce((s, r) => s + r.costUsd, 0), 9);
  });

  it('charges an invalid first answer whose repair call then failed: spend equals what the provider billed', async () => {
    // Invalid answers and 500s drawn per request: some rows' repairs fail after their first answer was billed.
    h = await startHarness({ standIn: { faults: { invalidOutput: 0.4, error500: 0.3 }, seed: 11 } });
    const config = jobConfig({ workers: 4, maxAttempts: 5 });
    const job = await h.engine.startJob({ owner: 't', target: testTarget('s:repair-fails'), config, rows: brandRows(60) });
    const end = await h.settle(job.id);
    const price = priceFor(config.model, DEFAULT_PRICES)!;
    const log = h.standIn.requestLog;
    // A billed invalid answer followed, for the same row, by a 500: the case this test is about happened.
    expect(log.some((e, i) => e.billed && e.fault === 'invalidOutput' && log.slice(i + 1).find((n) => n.rowKey === e.rowKey)?.fault === 'error500')).toBe(true);
    const bill = log.filter((e) => e.billed).reduce((usd, e) => usd + costOf({ inputTokens: e.promptTokens, cachedInputTokens: 0, outputTokens: e.completionTokens }, price), 0);
    expect(end.counts.spentUsd).toBeCloseTo(bill, 6);
  });
});
