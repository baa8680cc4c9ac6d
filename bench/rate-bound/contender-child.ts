// Child process entry for one rate-bound contender: runs it and reports its result with this process's peak RSS.
import { childMain } from '../lib/child-main.js';
import { startPeakRss } from '../lib/peak-rss.js';
import { runChunkAndWait } from './chunk-and-wait.js';
import type { ContenderInput, ContenderResult } from './contender.js';
import { runRowfill } from './rowfill.js';
import { runSequential } from './sequential.js';
import { runUnthrottled } from './unthrottled.js';

const RUNNERS = { rowfill: runRowfill, sequential: runSequential, 'chunk-and-wait': runChunkAndWait, unthrottled: runUnthrottled };

await childMain<ContenderInput, ContenderResult>(async (input) => {
  const rss = startPeakRss();
  const result = await RUNNERS[input.contender](input);
  return { ...result, peakRssBytes: rss.peak() };
});
