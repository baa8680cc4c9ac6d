// Contender "Rowfill": the CLI's embedded wiring (SQLite store + local queue in one file, OpenAI client) against the stand-in.
import { join } from 'node:path';
import { openEmbeddedRuntime } from '../../backend/src/cli/embedded-runtime.js';
import { fileTarget, openFileSource, writeFileResults } from '../../backend/src/cli/file-job.js';
import { ALL_ROWS } from '../../backend/src/cli/row-selection.js';
import { benchJobConfig, INPUTS, OUTPUTS } from '../lib/job-config.js';
import { settleJob } from '../lib/settle.js';
import type { ContenderInput, ContenderResult } from './contender.js';
import { RPM, TPM, WORKERS } from './settings.js';

export async function runRowfill(input: ContenderInput): Promise<Omit<ContenderResult, 'peakRssBytes'>> {
  const runtime = await openEmbeddedRuntime({
    // An API key with a base URL is how a user points Rowfill at any OpenAI-compatible server; here, the stand-in.
    config: { openaiApiKey: 'sk-bench', openaiBaseUrl: input.baseURL, dbPath: join(input.workDir, 'rowfill.db'), logLevel: 'silent', prices: undefined },
  });
  try {
    const source = await openFileSource(input.csvPath, INPUTS, OUTPUTS.map((o) => o.name));
    const started = performance.now();
    const job = await runtime.engine.startJob({
      owner: 'bench',
      target: fileTarget(source, join(input.workDir, 'rowfill-out.csv')),
      config: benchJobConfig({ workers: WORKERS, budgetUsd: 100, rpm: RPM, tpm: TPM }),
      rows: source.rows(ALL_ROWS, input.rows),
    });
    runtime.start();
    const last = await settleJob(runtime.engine, job.id, input.giveUpAfterMs);
    const makespanMs = performance.now() - started;
    // As the CLI's followJob: stop delivering, then write the whole file once.
    await runtime.queue.stop();
    await writeFileResults(runtime.store, last.job);
    return { makespanMs, doneRows: last.counts.done, failedRows: last.counts.failed + last.counts.queued, writeCalls: 1 };
  } finally {
    await runtime.close();
  }
}
