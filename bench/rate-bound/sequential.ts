// Baseline "sequential": one row at a time, retrying a 429 after exactly what Retry-After says, writing each row as it lands.
import { join } from 'node:path';
import { readSourceRows } from '../lib/source-rows.js';
import { BaselineClient } from './baseline-client.js';
import type { ContenderInput, ContenderResult } from './contender.js';
import { ResultWriter } from './result-writer.js';
import { callWithRetries, type RetryPolicy } from './retry.js';

// Bounded like every loop here; one request in flight stays far below the limit, so this is never reached.
const POLICY: RetryPolicy = { maxRetries: 20, delayMs: (_retry, retryAfterMs) => retryAfterMs ?? 1000 };

export async function runSequential(input: ContenderInput): Promise<Omit<ContenderResult, 'peakRssBytes'>> {
  const rows = await readSourceRows(input.csvPath, input.rows);
  const client = new BaselineClient(input.baseURL);
  const writer = await ResultWriter.create(join(input.workDir, 'sequential-out.csv'));
  const started = performance.now();
  const deadline = Date.now() + input.giveUpAfterMs;
  let failed = 0;
  for (const row of rows) {
    const result = await callWithRetries(client, row.inputs, POLICY, deadline);
    if (result.error !== null) failed++;
    // Writing each row as it lands is what a careful script does so a crash loses nothing.
    await writer.append([result]);
  }
  return { makespanMs: performance.now() - started, doneRows: rows.length - failed, failedRows: failed, writeCalls: writer.calls };
}
