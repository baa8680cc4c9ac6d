// Paces the streaming workbook writer: exceljs pushes rows into the zip with no backpressure, so we wait for the zip instead.
import { setTimeout as delay } from 'node:timers/promises';
import type { Worksheet } from 'exceljs';

/** Uncompressed sheet XML allowed to queue in front of the deflater before the writer waits. */
const HIGH_WATER_BYTES = 16 * 1024 * 1024;
const POLL_MS = 1;
/** A zip that has not taken a byte for this long is stuck for another reason; carry on rather than hang. */
const STALL_LIMIT_MS = 10_000;

/**
 * Without this, rows are produced faster than zlib (on the thread pool) compresses them and the whole sheet's XML
 * piles up in memory. The queue sits in the stream exceljs pipes each sheet into (its `stream.pipes`), an internal of
 * exceljs 4; if that shape ever changes the backlog reads as 0 and the writer just yields once per batch.
 */
export async function waitForZip(worksheet: Worksheet): Promise<void> {
  let last = backlog(worksheet);
  let stalledMs = 0;
  await delay(0);
  while (last > HIGH_WATER_BYTES && stalledMs < STALL_LIMIT_MS) {
    await delay(POLL_MS);
    const now = backlog(worksheet);
    stalledMs = now < last ? 0 : stalledMs + POLL_MS;
    last = now;
  }
}

/** exceljs pipes into a `readable-stream` v2 PassThrough, which predates `writableLength`; its states hold the counts. */
interface QueuedStream {
  readonly _writableState?: { readonly length?: number };
  readonly _readableState?: { readonly length?: number };
}

function backlog(worksheet: Worksheet): number {
  const pipes = (worksheet as unknown as { stream?: { pipes?: readonly QueuedStream[] } }).stream?.pipes ?? [];
  return pipes.reduce((sum, pipe) => sum + (pipe._writableState?.length ?? 0) + (pipe._readableState?.length ?? 0), 0);
}
