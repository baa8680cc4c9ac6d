// Baseline "chunk-and-wait": 10 rows at once with Promise.all, wait for the slowest, write the chunk, next chunk.
import { join } from 'node:path';
import { readSourceRows } from '../lib/source-rows.js';
import { BaselineClient } from './baseline-client.js';
import type { ContenderInput, ContenderResult } from './contender.js';
import { ResultWriter } from './result-writer.js';
import { callWithRetries, type RetryPolicy } from './retry.js';

const CHUNK = 10;

// Like the SDK's own retry: exponential from 0.5 s, but never sooner than the server asked.
const POLICY: RetryPolicy = { maxRetries: 6, delayMs: (retry, retryAfterMs) => Math.max(retryAfterMs ?? 0, 500 * 2 ** retry) };

export async function runChunkAndWait(input: ContenderInput): Promise<Omit<ContenderResult, 'peakRssBytes'>> {
  const rows = await readSourceRows(input.csvPath, input.rows);
  const client = new BaselineClient(input.baseURL);
  const writer = await ResultWriter.create(join(input.workDir, 'chunk-out.csv'));
  const started = performance.now();
  const deadline = Date.now() + input.giveUpAfterMs;
  let failed = 0;
  for (let i = 0; i < rows.length; i += CHUNK) {
    const results = await Promise.all(rows.slice(i, i + CHUNK).map((row) => callWithRetries(client, row.inputs, POLICY, deadline)));
    failed += results.filter((r) => r.error !== null).length;
    await writer.append(results);
  }
  return { makespanMs: performance.now() - started, doneRows: rows.length - failed, failedRows: failed, writeCalls: writer.calls };
}
