// The Batch port on the official `openai` SDK: files.create / files.content, batches.create / retrieve / cancel / list.
import { createReadStream } from 'node:fs';
import { tmpdir } from 'node:os';
import { createInterface } from 'node:readline';
import { Readable } from 'node:stream';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';
import OpenAI from 'openai';
import type { BatchClient, BatchInfo, BatchLookup, BatchRowRequest, BatchRowResult, PackedBatchFile, PackOptions, UploadedBatchFile } from '../../ports/batch.js';
import { toRowfillError } from '../openai/openai-errors.js';
import { BATCH_ENDPOINT, MAX_BYTES_PER_FILE, MAX_REQUESTS_PER_FILE } from './batch-limits.js';
import { parseResultLine } from './batch-results.js';
import { LocalPackedFile, packBatchFiles } from './jsonl-packer.js';
import { isHttpUrl } from '../shared/http-url.js';

export interface OpenAiBatchClientOptions {
  /** Required, non-empty. */
  readonly apiKey: string;
  /** Default `https://api.openai.com/v1`. */
  readonly baseURL?: string | undefined;
  /** True when `baseURL` is the local stand-in, so results are labelled simulated. Default false. */
  readonly simulated?: boolean | undefined;
  /** Sent as OpenAI-Organization when given. */
  readonly organization?: string | undefined;
  /** Requests per packed file, 1 to 50,000 (OpenAI's limit, the default); smaller only to test or to keep batches short. */
  readonly maxRequestsPerFile?: number | undefined;
  /** Bytes per packed file, up to 200,000,000 (OpenAI's 200 MB, the default). */
  readonly maxBytesPerFile?: number | undefined;
  /** Directory where packed files wait for their upload. Default: the OS temp directory. */
  readonly tmpDir?: string | undefined;
}

const DEFAULT_BASE_URL = 'https://api.openai.com/v1';
/** A 200 MB upload or a large result download takes a while; the engine's signal gives the real bound. */
const SDK_TIMEOUT_MS = 30 * 60_000;
const DEFAULT_SCAN_LIMIT = 1000;

export class OpenAiBatchClient implements BatchClient {
  readonly simulated: boolean;
  readonly baseURL: string;
  readonly limits: { readonly maxRequestsPerFile: number; readonly maxBytesPerFile: number };
  private readonly tmpDir: string;
  private readonly client: OpenAI;

  constructor(options: OpenAiBatchClientOptions) {
    if (typeof options.apiKey !== 'string' || options.apiKey.trim() === '') {
      throw new Error('OpenAiBatchClient: apiKey must be a non-empty string (set OPENAI_API_KEY)');
    }
    if (options.baseURL !== undefined && !isHttpUrl(options.baseURL)) {
      throw new Error(`OpenAiBatchClient: baseURL must be an http(s) URL, got ${JSON.stringify(options.baseURL)}`);
    }
    if (options.organization !== undefined && (typeof options.organization !== 'string' || options.organization.trim() === '')) {
      throw new Error('OpenAiBatchClient: organization must be a non-empty string when given');
    }
    if (options.simulated !== undefined && typeof options.simulated !== 'boolean') throw new Error('OpenAiBatchClient: simulated must be a boolean when given');
    const maxRequests = options.maxRequestsPerFile ?? MAX_REQUESTS_PER_FILE;
    if (!Number.isSafeInteger(maxRequests) || maxRequests < 1 || maxRequests > MAX_REQUESTS_PER_FILE) {
      throw new Error(`OpenAiBatchClient: maxRequestsPerFile must be an integer from 1 to ${MAX_REQUESTS_PER_FILE}, got ${JSON.stringify(options.maxRequestsPerFile)}`);
    }
    const maxBytes = options.maxBytesPerFile ?? MAX_BYTES_PER_FILE;
    if (!Number.isSafeInteger(maxBytes) || maxBytes < 1 || maxBytes > MAX_BYTES_PER_FILE) {
      throw new Error(`OpenAiBatchClient: maxBytesPerFile must be an integer from 1 to ${MAX_BYTES_PER_FILE}, got ${JSON.stringify(options.maxBytesPerFile)}`);
    }
    if (options.tmpDir !== undefined && (typeof options.tmpDir !== 'string' || options.tmpDir === '')) {
      throw new Error('OpenAiBatchClient: tmpDir must be a non-empty path when given');
    }
    this.simulated = options.simulated ?? false;
    this.baseURL = options.baseURL ?? DEFAULT_BASE_URL;
    this.limits = { maxRequestsPerFile: maxRequests, maxBytesPerFile: maxBytes };
    this.tmpDir = options.tmpDir ?? tmpdir();
    // Retries are the engine's job (it polls with backoff and records each step), so the SDK must not retry behind its back.
    this.client = new OpenAI({
      apiKey: options.apiKey,
      baseURL: this.baseURL,
      organization: options.organization ?? null,
      project: null,
      maxRetries: 0,
      timeout: SDK_TIMEOUT_MS,
    });
  }

  pack(rows: AsyncIterable<BatchRowRequest>, options: PackOptions): AsyncIterable<PackedBatchFile> {
    return packBatchFiles(rows, options, { ...this.limits, tmpDir: this.tmpDir });
  }

  async upload(file: PackedBatchFile, signal?: AbortSignal): Promise<UploadedBatchFile> {
    if (!(file instanceof LocalPackedFile)) throw new Error('OpenAiBatchClient.upload: the file must come from this client\'s pack()');
    // The SDK reads the stream whole before sending it (measured: one file's size in buffers, ~82 MB for 50,000
    // rows), so one file at a time is in memory here, never the job; a disk-backed Blob measured the same.
    const uploaded = await this.call(() => this.client.files.create({ file: createReadStream(file.path), purpose: 'batch' }, { signal }), signal);
    return { fileId: uploaded.id, filename: uploaded.filename, bytes: uploaded.bytes };
  }

  async findUploadedFile(filename: string, signal?: AbortSignal): Promise<UploadedBatchFile | null> {
    return this.call(async () => {
      for await (const file of this.client.files.list({ purpose: 'batch', limit: 1000 }, { signal })) {
        if (file.filename === filename) return { fileId: file.id, filename: file.filename, bytes: file.bytes };
      }
      return null;
    }, signal);
  }

  async create(inputFileId: string, metadata: Readonly<Record<string, string>>, signal?: AbortSignal): Promise<BatchInfo> {
    checkMetadata(metadata);
    const batch = await this.call(
      () => this.client.batches.create({ input_file_id: inputFileId, endpoint: BATCH_ENDPOINT, completion_window: '24h', metadata: { ...metadata } }, { signal }),
      signal,
    );
    return toBatchInfo(batch);
  }

  async retrieve(batchId: string, signal?: AbortSignal): Promise<BatchInfo> {
    return toBatchInfo(await this.call(() => this.client.batches.retrieve(batchId, { signal }), signal));
  }

  async cancel(batchId: string, signal?: AbortSignal): Promise<BatchInfo> {
    return toBatchInfo(await this.call(() => this.client.batches.cancel(batchId, { signal }), signal));
  }

  async find(lookup: BatchLookup, signal?: AbortSignal): Promise<BatchInfo[]> {
    const scanLimit = lookup.scanLimit ?? DEFAULT_SCAN_LIMIT;
    return this.call(async () => {
      const found: BatchInfo[] = [];
      let seen = 0;
      // OpenAI cannot filter batches by metadata, so recovery pages through the newest ones.
      for await (const batch of this.client.batches.list({ limit: 100 }, { signal })) {
        if (++seen > scanLimit) break;
        const info = toBatchInfo(batch);
        if (lookup.inputFileId !== undefined && info.inputFileId !== lookup.inputFileId) continue;
        if (lookup.metadata && !Object.entries(lookup.metadata).every(([key, value]) => info.metadata[key] === value)) continue;
        found.push(info);
      }
      return found;
    }, signal);
  }

  async *results(fileId: string, signal?: AbortSignal): AsyncIterable<BatchRowResult> {
    const response = await this.call(() => this.client.files.content(fileId, { signal }), signal);
    if (!response.body) return;
    // Line by line off the socket: a 50,000-line result file never sits in memory whole.
    const lines = createInterface({ input: Readable.fromWeb(response.body as NodeReadableStream<Uint8Array>), crlfDelay: Infinity });
    try {
      for await (const line of lines) {
        if (line.trim() === '') continue;
        yield parseResultLine(line, this.baseURL);
      }
    } catch (error) {
      throw toRowfillError(error, { baseURL: this.baseURL, model: 'batch', operation: 'complete', signal });
    } finally {
      lines.close();
    }
  }

  private async call<T>(run: () => Promise<T>, signal: AbortSignal | undefined): Promise<T> {
    try {
      return await run();
    } catch (error) {
      throw toRowfillError(error, { baseURL: this.baseURL, model: 'batch', operation: 'complete', signal });
    }
  }
}

function toBatchInfo(batch: OpenAI.Batch): BatchInfo {
  const metadata: Record<string, string> = {};
  for (const [key, value] of Object.entries(batch.metadata ?? {})) if (typeof value === 'string') metadata[key] = value;
  return {
    id: batch.id,
    status: batch.status,
    inputFileId: batch.input_file_id,
    outputFileId: batch.output_file_id ?? null,
    errorFileId: batch.error_file_id ?? null,
    metadata,
    counts: { total: batch.request_counts?.total ?? 0, completed: batch.request_counts?.completed ?? 0, failed: batch.request_counts?.failed ?? 0 },
    createdAt: batch.created_at * 1000,
    expiresAt: typeof batch.expires_at === 'number' ? batch.expires_at * 1000 : null,
    errors: (batch.errors?.data ?? []).map((e) => ({ code: e.code ?? 'unknown', message: e.message ?? '', line: e.line ?? null })),
  };
}

/** OpenAI's metadata rules, checked before the call so a bad key is a programming error, not a failed job. */
function checkMetadata(metadata: Readonly<Record<string, string>>): void {
  const entries = Object.entries(metadata);
  if (entries.length > 16) throw new Error(`OpenAiBatchClient.create: metadata may have at most 16 keys, got ${entries.length}`);
  for (const [key, value] of entries) {
    if (key.length === 0 || key.length > 64) throw new Error(`OpenAiBatchClient.create: metadata key ${JSON.stringify(key)} must be 1 to 64 characters`);
    if (typeof value !== 'string' || value.length > 512) throw new Error(`OpenAiBatchClient.create: metadata.${key} must be a string of at most 512 characters`);
  }
}
