// Packs row requests into JSONL files on disk within the per-file limits, streaming: one open file, rows read as needed.
import { once } from 'node:events';
import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { finished } from 'node:stream/promises';
import { InvalidRequestError } from '../../kernel/errors.js';
import type { BatchRowRequest, PackedBatchFile, PackOptions } from '../../ports/batch.js';
import { batchLine } from './batch-limits.js';

export interface PackLimits {
  readonly maxRequestsPerFile: number;
  readonly maxBytesPerFile: number;
  /** Where packed files wait for their upload. */
  readonly tmpDir: string;
}

/** A packed file of this adapter: the port's view plus where it lies on disk. */
export class LocalPackedFile implements PackedBatchFile {
  private disposed = false;

  constructor(
    readonly filename: string,
    readonly path: string,
    private readonly dir: string,
    readonly requestCount: number,
    readonly bytes: number,
    readonly customIds: readonly string[],
  ) {}

  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    await rm(this.dir, { recursive: true, force: true });
  }
}

const PREFIX = /^[A-Za-z0-9_-]{1,100}$/;

/**
 * Files of at most `maxRequestsPerFile` lines and `maxBytesPerFile` bytes, in row order. The row that does not fit
 * starts the next file, so no row is dropped; a row larger than a whole file is refused (InvalidRequestError).
 */
export async function* packBatchFiles(rows: AsyncIterable<BatchRowRequest>, options: PackOptions, limits: PackLimits): AsyncGenerator<PackedBatchFile> {
  if (typeof options.filenamePrefix !== 'string' || !PREFIX.test(options.filenamePrefix)) {
    throw new Error(`packBatchFiles: filenamePrefix must be 1 to 100 letters, digits, '-' or '_', got ${JSON.stringify(options.filenamePrefix)}`);
  }
  const first = options.firstSequence ?? 0;
  if (!Number.isSafeInteger(first) || first < 0) throw new Error(`packBatchFiles: firstSequence must be a non-negative integer, got ${JSON.stringify(first)}`);
  let sequence = first;
  let open: OpenFile | null = null;
  try {
    for await (const row of rows) {
      const line = Buffer.from(batchLine(row), 'utf8');
      if (line.length > limits.maxBytesPerFile) {
        throw new InvalidRequestError(`Row request ${row.customId} is ${line.length} bytes as a batch line, more than a batch file may hold (${limits.maxBytesPerFile} bytes)`);
      }
      if (open && (open.customIds.length >= limits.maxRequestsPerFile || open.bytes + line.length > limits.maxBytesPerFile)) {
        const full: OpenFile = open;
        open = null;
        yield await full.close();
      }
      open ??= await OpenFile.create(limits.tmpDir, `${options.filenamePrefix}-${sequence++}.jsonl`);
      if (open.seen.has(row.customId)) throw new Error(`packBatchFiles: custom_id ${row.customId} appears twice in ${open.filename}`);
      await open.write(line, row.customId);
    }
    if (open) {
      const last: OpenFile = open;
      open = null;
      yield await last.close();
    }
  } finally {
    // A consumer that stops early (or an error) leaves no half-written file behind.
    if (open) await open.abandon();
  }
}

class OpenFile {
  bytes = 0;
  readonly customIds: string[] = [];
  readonly seen = new Set<string>();

  private constructor(
    readonly filename: string,
    private readonly dir: string,
    private readonly path: string,
    private readonly stream: WriteStream,
  ) {}

  static async create(tmpDir: string, filename: string): Promise<OpenFile> {
    const dir = await mkdtemp(join(tmpDir, 'rowfill-batch-'));
    const path = join(dir, filename);
    return new OpenFile(filename, dir, path, createWriteStream(path));
  }

  async write(line: Buffer, customId: string): Promise<void> {
    this.bytes += line.length;
    this.customIds.push(customId);
    this.seen.add(customId);
    // Waiting for drain is what keeps memory flat however many rows stream through.
    if (!this.stream.write(line)) await once(this.stream, 'drain');
  }

  async close(): Promise<LocalPackedFile> {
    this.stream.end();
    await finished(this.stream);
    return new LocalPackedFile(this.filename, this.path, this.dir, this.customIds.length, this.bytes, this.customIds);
  }

  async abandon(): Promise<void> {
    this.stream.destroy();
    await rm(this.dir, { recursive: true, force: true });
  }
}
