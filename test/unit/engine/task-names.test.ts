import { describe, expect, it } from 'vitest';
import { pumpCause, pumpTask, rowTask } from '../../../backend/src/engine/task-names.js';

describe('task names', () => {
  it('gives the same row dispatch the same name, and another dispatch another', () => {
    expect(rowTask('j', 'r', 1).name).toBe(rowTask('j', 'r', 1).name);
    expect(rowTask('j', 'r', 2).name).not.toBe(rowTask('j', 'r', 1).name);
  });

  it('collapses clock pumps of one time slot into one name, and gives each kick a name of its own', () => {
    expect(pumpTask('j', 1_000, 1_000).name).toBe(pumpTask('j', 1_999, 1_000).name);
    expect(pumpTask('j', 1_000, 1_000, 'kick').name).not.toBe(pumpTask('j', 1_000, 1_000).name);
    expect(pumpTask('j', 1_000, 1_000, 'rewrite-waiting').name).not.toBe(pumpTask('j', 1_000, 1_000, 'kick').name);
  });

  it('reads back from a delivered name why the pump was asked for', () => {
    for (const cause of ['tick', 'kick', 'rewrite-waiting'] as const) expect(pumpCause(pumpTask('job_1', 1_700_000_000_123, 1_000, cause).name)).toBe(cause);
  });
});
