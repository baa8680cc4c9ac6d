// Opens a workbook file for exceljs's streaming reader with a fix for unzipper ending the entry stream too early.
import { createReadStream, type ReadStream } from 'node:fs';
import type { Writable } from 'node:stream';

/**
 * unzipper 0.10 (under exceljs 4) emits 'end' on its entry stream as soon as it has read the zip's last byte, even
 * while entries it already queued have not been handed out. exceljs then stops early and, about one read in a few
 * hundred, loses the shared strings or the workbook part: strings read as blanks or the read fails. When exceljs
 * pipes this file into the unzipper parser, the eager 'end' is swapped for an end-of-stream marker, which ends the
 * stream only after every queued entry has been delivered. If unzipper changes, nothing matches and nothing changes.
 */
export function openZipInput(path: string): ReadStream {
  const input = createReadStream(path);
  const pipe = input.pipe.bind(input);
  input.pipe = <T extends NodeJS.WritableStream>(destination: T, options?: { end?: boolean }): T => {
    deferEagerEnd(destination as unknown as Writable & { push(chunk: null): boolean });
    return pipe(destination, options);
  };
  return input;
}

function deferEagerEnd(parser: Writable & { push(chunk: null): boolean }): void {
  for (const listener of parser.listeners('finish')) {
    if (typeof listener === 'function' && String(listener).includes("emit('end')")) {
      parser.removeListener('finish', listener as (...args: unknown[]) => void);
      parser.on('finish', () => parser.push(null));
    }
  }
}
