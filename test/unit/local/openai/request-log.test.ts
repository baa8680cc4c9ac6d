// The request log keeps at most logLimit entries and stays the same array when cleared.
import { describe, expect, it } from 'vitest';
import { RequestLog, type RequestLogEntry } from '../../../../local/openai/request-log.js';

function entry(seq: number): RequestLogEntry {
  return { seq, at: 0, model: 'gpt-4.1-mini', status: 200, fault: null, latencyMs: 0, promptTokens: 1, completionTokens: 1, billed: true, rowKey: null };
}

describe('RequestLog', () => {
  it('drops the oldest entries beyond its limit', () => {
    const log = new RequestLog(3);
    for (let seq = 1; seq <= 5; seq++) log.append(entry(seq));
    expect(log.entries.map((e) => e.seq)).toEqual([3, 4, 5]);
  });

  it('drops a tenth at once when a large log is full', () => {
    const log = new RequestLog(100);
    for (let seq = 1; seq <= 101; seq++) log.append(entry(seq));
    expect(log.entries).toHaveLength(91);
    expect(log.entries[0]!.seq).toBe(11);
  });

  it('clears in place, so a reference held by a test sees the new entries', () => {
    const log = new RequestLog(10);
    const view = log.entries;
    log.append(entry(1));
    log.clear();
    log.append(entry(2));
    expect(view.map((e) => e.seq)).toEqual([2]);
  });
});
