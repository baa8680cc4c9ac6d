// One packing case in its own process (run by bench/cheap): N rows packed into batch files at OpenAI's limits, optionally uploaded; rows/s and peak RSS.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OpenAiBatchClient } from '../../backend/src/adapters/openai-batch/openai-batch-client.js';
import { childMain } from '../lib/child-main.js';
import { startPeakRss } from '../lib/peak-rss.js';
import { rowRequests } from './row-requests.js';

export interface PackCaseInput {
  readonly rows: number;
  /** A Batch API stand-in in another process to upload each file to; null packs only. */
  readonly uploadUrl: string | null;
}

export interface PackCaseResult {
  readonly rows: number;
  readonly files: number;
  readonly bytes: number;
  /** From the first row asked for to the last file disposed (uploaded, when uploading). */
  readonly ms: number;
  /** This process's peak resident set over the whole case, Node and tsx included. */
  readonly peakRssBytes: number;
  /** Peak of `process.memoryUsage().arrayBuffers`: what the packer and the SDK hold in Buffers. */
  readonly peakBuffersBytes: number;
  /** RSS before the first row: what the process holds with nothing packed. */
  readonly baselineRssBytes: number;
}

async function run(input: PackCaseInput): Promise<PackCaseResult> {
  const dir = await mkdtemp(join(tmpdir(), 'rowfill-bench-pack-'));
  // The adapter cheap mode uses, at its default limits (50,000 requests, 200,000,000 bytes a file).
  const client = new OpenAiBatchClient({ apiKey: 'sk-bench', baseURL: input.uploadUrl ?? 'http://127.0.0.1:9/v1', simulated: true, tmpDir: dir });
  const baselineRssBytes = process.memoryUsage().rss;
  const rss = startPeakRss();
  let peakBuffersBytes = 0;
  const buffers = setInterval(() => (peakBuffersBytes = Math.max(peakBuffersBytes, process.memoryUsage().arrayBuffers)), 20);
  let files = 0;
  let rows = 0;
  let bytes = 0;
  const started = performance.now();
  try {
    for await (const file of client.pack(rowRequests(input.rows), { filenamePrefix: 'bench' })) {
      try {
        files += 1;
        rows += file.requestCount;
        bytes += file.bytes;
        if (input.uploadUrl !== null) await client.upload(file);
      } finally {
        await file.dispose();
      }
    }
    const ms = performance.now() - started;
    return { rows, files, bytes, ms, peakRssBytes: rss.peak(), peakBuffersBytes: Math.max(peakBuffersBytes, process.memoryUsage().arrayBuffers), baselineRssBytes };
  } finally {
    clearInterval(buffers);
    rss.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

await childMain(run);
