// A cheap job's running row reads `in batch`: it waits at the provider, not in a worker.
import { describe, expect, it } from 'vitest';
import { rowStatusText } from '../../../backend/src/kernel/row-status-text.js';

const running = { status: 'running', cached: false, errorClass: null } as const;

describe('row status text in cheap mode', () => {
  it('says "in batch" for a running row of a cheap job, "running" otherwise', () => {
    expect(rowStatusText(running, { status: 'running', pauseReason: null, config: { mode: 'cheap' } })).toBe('in batch');
    expect(rowStatusText(running, { status: 'running', pauseReason: null, config: {} })).toBe('running');
    expect(rowStatusText(running, { status: 'running', pauseReason: null })).toBe('running');
  });
});
