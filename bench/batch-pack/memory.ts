// Cheap mode's packing bench: 100,000 row requests packed into batch files at OpenAI's limits; rows/s and peak memory.
// Run: node --import tsx bench/batch-pack/memory.ts [rows]   (standalone: not yet a scenario of `npm run bench`)
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { packBatchFiles } from '../../backend/src/adapters/openai-batch/jsonl-packer.js';
import { MAX_BYTES_PER_FILE, MAX_REQUESTS_PER_FILE } from '../../backend/src/adapters/openai-batch/batch-limits.js';
import type { BatchRowRequest } from '../../backend/src/ports/batch.js';

const ROWS = Number(process.argv[2] ?? 100_000);
/** The bound for packing a 100,000-row job. */
const PEAK_LIMIT_MB = 300;

const SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['category', 'founded', 'positioning', 'summary'],
  properties: {
    category: { type: 'string', description: 'Main product category' },
    founded: { type: 'integer', description: 'Year the brand was founded' },
    positioning: { type: 'string', enum: ['budget', 'mid-range', 'premium', 'luxury'] },
    summary: { type: 'string', description: 'One sentence about the brand' },
  },
};
const SYSTEM = `You fill in spreadsheet cells. ${'Follow the output schema exactly and answer from general knowledge. '.repeat(8)}`;

/** Rows made on demand, as a store cursor would hand them out: none is kept after it is yielded. */
async function* rows(): AsyncGenerator<BatchRowRequest> {
  for (let i = 0; i < ROWS; i++) {
    if (i % 1000 === 0) await Promise.resolve();
    const inputs = { Brand: `Brand number ${i}`, Website: `https://www.brand-${i}.example.com`, Country: ['France', 'Japan', 'Brazil', 'Kenya'][i % 4], Notes: 'x'.repeat(200 + (i % 300)) };
    yield {
      customId: `row-${i}:1`,
      request: { model: 'gpt-4.1-mini', messages: [{ role: 'system', content: SYSTEM }, { role: 'user', content: `<row>\n${JSON.stringify(inputs)}\n</row>` }], schemaName: 'row_output', schema: SCHEMA, maxOutputTokens: 300 },
    };
  }
}

const dir = await mkdtemp(join(tmpdir(), 'rowfill-pack-bench-'));
let peak = process.memoryUsage().rss;
const sampler = setInterval(() => {
  peak = Math.max(peak, process.memoryUsage().rss);
}, 20);
const started = performance.now();
let files = 0;
let requests = 0;
let bytes = 0;
try {
  for await (const file of packBatchFiles(rows(), { filenamePrefix: 'bench' }, { maxRequestsPerFile: MAX_REQUESTS_PER_FILE, maxBytesPerFile: MAX_BYTES_PER_FILE, tmpDir: dir })) {
    files += 1;
    requests += file.requestCount;
    bytes += file.bytes;
    peak = Math.max(peak, process.memoryUsage().rss);
    await file.dispose();
  }
} finally {
  clearInterval(sampler);
  await rm(dir, { recursive: true, force: true });
}
const seconds = (performance.now() - started) / 1000;
const peakMb = peak / 1024 / 1024;
process.stdout.write(
  `packed ${requests.toLocaleString('en-US')} rows into ${files} files (${(bytes / 1e6).toFixed(1)} MB) in ${seconds.toFixed(2)} s: ` +
    `${Math.round(requests / seconds).toLocaleString('en-US')} rows/s, peak RSS ${peakMb.toFixed(0)} MB (limit ${PEAK_LIMIT_MB} MB)\n`,
);
if (requests !== ROWS || peakMb > PEAK_LIMIT_MB) process.exitCode = 1;
