// The argument checks every Store runs before any read or write: the messages both stores give.
import { describe, expect, it } from 'vitest';
import type { JobStatus, NewRow } from '../../../backend/src/ports/domain.js';
import { checkDispatchRequest, checkNewRow, checkTransitionRequest } from '../../../backend/src/domain/store-arguments.js';

describe('store arguments', () => {
  it('a dispatch needs a finite time and non-negative integer caps', () => {
    const request = { jobId: 'j', maxInFlight: 4, limit: 2, now: 1 };
    expect(() => checkDispatchRequest(request)).not.toThrow();
    expect(() => checkDispatchRequest({ ...request, now: Infinity })).toThrow('now must be a finite number, got Infinity');
    expect(() => checkDispatchRequest({ ...request, maxInFlight: 1.5 })).toThrow('maxInFlight must be a non-negative integer, got 1.5');
    expect(() => checkDispatchRequest({ ...request, limit: -1 })).toThrow('limit must be a non-negative integer, got -1');
  });

  it('a new row starts queued, skipped or failed, with a non-negative integer row number', () => {
    const row: NewRow = { rowId: 'r1', rowNumber: 3, inputs: {}, inputHash: 'h' };
    expect(() => checkNewRow(row)).not.toThrow();
    expect(() => checkNewRow({ ...row, status: 'failed' })).not.toThrow();
    expect(() => checkNewRow({ ...row, status: 'running' as never })).toThrow("row r1: a new row's status must be queued, skipped or failed, got running");
    expect(() => checkNewRow({ ...row, rowNumber: -2 })).toThrow('row r1: rowNumber must be a non-negative integer, got -2');
  });

  it('a transition needs a finite time and a known status; its budget comes back in nanos', () => {
    const request = { to: 'paused' as JobStatus, from: ['running' as JobStatus], now: 1 };
    expect(checkTransitionRequest(request)).toBeUndefined();
    expect(checkTransitionRequest({ ...request, budgetUsd: null })).toBeNull();
    expect(checkTransitionRequest({ ...request, budgetUsd: 1.5 })).toBe(1_500_000_000);
    expect(() => checkTransitionRequest({ ...request, to: 'stopped' as JobStatus })).toThrow('unknown job status stopped');
    expect(() => checkTransitionRequest({ ...request, now: Number.NaN })).toThrow('now must be a finite number, got NaN');
  });
});
