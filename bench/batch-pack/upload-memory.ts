// Cheap mode's upload bench: pack 100,000 rows and upload each file to a stand-in in another process; peak RSS of the client.
// Run: node --import tsx bench/batch-pack/upload-memory.ts [rows]   (standalone: not yet a scenario of `npm run bench`)
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { OpenAiBatchClient } from '../../backend/src/adapters/openai-batch/openai-batch-client.js';
import type { BatchRowRequest } from '../../backend/src/ports/batch.js';

const ROWS = Number(process.argv[2] ?? 100_000);

async function* rows(): AsyncGenerator<BatchRowRequest> {
  for (let i = 0; i < ROWS; i++) {
    if (i % 1000 === 0) await Promise.resolve();
    const inputs = { Brand: `Brand number ${i}`, Website: `https://www.brand-${i}.example.com`, Notes: 'x'.repeat(200 + (i % 300)) };
    yield {
      customId: `row-${i}:1`,
      request: {
        model: 'gpt-4.1-mini',
        messages: [{ role: 'system', content: 'Fill in the cells. '.repeat(40) }, { role: 'user', content: `<row>\n${JSON.stringify(inputs)}\n</row>` }],
        schemaName: 'row_output',
        schema: { type: 'object', additionalProperties: false, required: ['category'], properties: { category: { type: 'string' } } },
        maxOutputTokens: 300,
      },
    };
  }
}

// The stand-in holds the uploads in its own memory, so it runs in a child process and only the client is measured.
const child = spawn(process.execPath, ['--import', 'tsx', 'local/openai/main.ts'], { stdio: ['ignore', 'pipe', 'inherit'] });
const [url] = (await once(createInterface({ input: child.stdout }), 'line')) as [string];
let peak = process.memoryUsage().rss;
let peakBuffers = process.memoryUsage().arrayBuffers;
const sampler = setInterval(() => {
  const now = process.memoryUsage();
  peak = Math.max(peak, now.rss);
  peakBuffers = Math.max(peakBuffers, now.arrayBuffers);
}, 10);
try {
  const client = new OpenAiBatchClient({ apiKey: 'sk-bench', baseURL: url, simulated: true });
  const started = performance.now();
  let uploaded = 0;
  let bytes = 0;
  for await (const file of client.pack(rows(), { filenamePrefix: 'bench' })) {
    const result = await client.upload(file);
    await file.dispose();
    uploaded += file.requestCount;
    bytes += result.bytes;
  }
  const seconds = (performance.now() - started) / 1000;
  process.stdout.write(`packed and uploaded ${uploaded.toLocaleString('en-US')} rows (${(bytes / 1e6).toFixed(1)} MB) in ${seconds.toFixed(2)} s; client peak RSS ${(peak / 1024 / 1024).toFixed(0)} MB, of which buffers ${(peakBuffers / 1024 / 1024).toFixed(0)} MB\n`);
} finally {
  clearInterval(sampler);
  child.kill('SIGTERM');
}
