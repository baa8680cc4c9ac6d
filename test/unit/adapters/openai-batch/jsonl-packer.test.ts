// The JSONL packer: files within the request and byte limits, no row dropped, rows read only as files are consumed.
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { batchLine } from '../../../../backend/src/adapters/openai-batch/batch-limits.js';
import type { LocalPackedFile} from '../../../../backend/src/adapters/openai-batch/jsonl-packer.js';
import { packBatchFiles } from '../../../../backend/src/adapters/openai-batch/jsonl-packer.js';
import { InvalidRequestError } from '../../../../backend/src/kernel/errors.js';
import type { PackedBatchFile } from '../../../../backend/src/ports/batch.js';
import { collect, rowRequest, rowSource, SCHEMA } from './fixtures.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rowfill-packer-test-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

const pathOf = (file: PackedBatchFile): string => (file as LocalPackedFile).path;

describe('packBatchFiles', () => {
  it('splits by request count, keeps row order, and writes the real request lines', async () => {
    const { rows } = rowSource(25);
    const files = await collect(packBatchFiles(rows, { filenamePrefix: 'job-1' }, { maxRequestsPerFile: 10, maxBytesPerFile: 1_000_000, tmpDir: dir }));
    expect(files.map((f) => [f.filename, f.requestCount])).toEqual([['job-1-0.jsonl', 10], ['job-1-1.jsonl', 10], ['job-1-2.jsonl', 5]]);
    expect(files.flatMap((f) => f.customIds)).toEqual(Array.from({ length: 25 }, (_, i) => `row-${i}:1`));
    const text = await readFile(pathOf(files[0]!), 'utf8');
    expect(Buffer.byteLength(text)).toBe(files[0]!.bytes);
    const first = JSON.parse(text.split('\n')[0]!) as Record<string, unknown>;
    expect(first).toEqual({
      custom_id: 'row-0:1',
      method: 'POST',
      url: '/v1/chat/completions',
      body: {
        model: 'gpt-4.1-mini',
        messages: rowRequest(0).request.messages,
        response_format: { type: 'json_schema', json_schema: { name: 'row_output', schema: SCHEMA, strict: true } },
        max_completion_tokens: 200,
      },
    });
    for (const file of files) await file.dispose();
    expect(files.some((f) => existsSync(pathOf(f)))).toBe(false);
  });

  it('splits by bytes: no file over the limit, the row that does not fit starts the next file', async () => {
    const lineBytes = Buffer.byteLength(batchLine(rowRequest(0)));
    const maxBytesPerFile = lineBytes * 3 + 5;
    const { rows } = rowSource(10);
    const files = await collect(packBatchFiles(rows, { filenamePrefix: 'b', firstSequence: 7 }, { maxRequestsPerFile: 50_000, maxBytesPerFile, tmpDir: dir }));
    expect(files[0]!.filename).toBe('b-7.jsonl');
    expect(files.reduce((sum, f) => sum + f.requestCount, 0)).toBe(10);
    for (const file of files) {
      expect(file.bytes).toBeLessThanOrEqual(maxBytesPerFile);
      expect((await readFile(pathOf(file))).length).toBe(file.bytes);
    }
    expect(files.map((f) => f.requestCount)).toEqual([3, 3, 3, 1]);
  });

  it('reads rows only as files are consumed, and an abandoned pack leaves no file behind', async () => {
    const source = rowSource(1000);
    const packer = packBatchFiles(source.rows, { filenamePrefix: 'lazy' }, { maxRequestsPerFile: 10, maxBytesPerFile: 1_000_000, tmpDir: dir });
    const first = await packer.next();
    expect(first.done).toBe(false);
    // The 11th row was read to learn the first file was full; nothing further.
    expect(source.pulled()).toBe(11);
    await packer.return(undefined);
    await (first.value as PackedBatchFile).dispose();
    expect(await readdir(dir)).toEqual([]);
  });

  it('refuses a row larger than a whole file, and a bad prefix', async () => {
    const { rows } = rowSource(2);
    await expect(collect(packBatchFiles(rows, { filenamePrefix: 'x' }, { maxRequestsPerFile: 10, maxBytesPerFile: 100, tmpDir: dir }))).rejects.toBeInstanceOf(InvalidRequestError);
    await expect(collect(packBatchFiles(rowSource(1).rows, { filenamePrefix: '../x' }, { maxRequestsPerFile: 10, maxBytesPerFile: 1000, tmpDir: dir }))).rejects.toThrow(
      /filenamePrefix must be/,
    );
    expect(await readdir(dir)).toEqual([]);
  });

  it('refuses a custom_id twice in one file', async () => {
    const { rows } = rowSource(3, () => rowRequest(0));
    await expect(collect(packBatchFiles(rows, { filenamePrefix: 'dup' }, { maxRequestsPerFile: 10, maxBytesPerFile: 1_000_000, tmpDir: dir }))).rejects.toThrow(/appears twice/);
  });
});
