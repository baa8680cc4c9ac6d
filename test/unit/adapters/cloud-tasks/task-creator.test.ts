// TaskCreator against a scripted CloudTasksApi: ALREADY_EXISTS as "existing", brief retries of transient errors, bounded fan-out.
import { describe, expect, it } from 'vitest';
import type { CloudTasksApi } from '../../../../backend/src/adapters/cloud-tasks/index.js';
import { TaskCreator } from '../../../../backend/src/adapters/cloud-tasks/task-creator.js';
import type { Clock } from '../../../../backend/src/ports/clock.js';

const instantClock: Clock = { now: () => 0, sleep: () => Promise.resolve() };
const grpcError = (code: number) => Object.assign(new Error(`code ${code}`), { code });

/** Answers each createTask from a script keyed by task name; records names, the order they came, and the most in flight. */
function scripted(script: Record<string, Array<number | 'ok'>>) {
  let open = 0;
  const stats = { calls: [] as string[], mostOpen: 0 };
  const api: CloudTasksApi = {
    createTask: async (request) => {
      const name = request.task!.name!.split('/').pop()!;
      stats.calls.push(name);
      stats.mostOpen = Math.max(stats.mostOpen, ++open);
      await new Promise((resolve) => setTimeout(resolve, 2));
      open -= 1;
      const next = script[name]?.shift() ?? 'ok';
      if (next !== 'ok') throw grpcError(next);
      return [];
    },
    pauseQueue: () => Promise.resolve([]),
    resumeQueue: () => Promise.resolve([]),
  };
  return { api, stats };
}

const request = (id: string) => ({ parent: 'projects/p/locations/l/queues/q', task: { name: `projects/p/locations/l/queues/q/tasks/${id}` } });

describe('TaskCreator', () => {
  it('counts ALREADY_EXISTS as existing and retries UNAVAILABLE twice at most', async () => {
    const { api, stats } = scripted({ dup: [6], flaky: [14, 14, 'ok'], down: [14, 14, 14] });
    const creator = new TaskCreator(api, instantClock);
    expect(await creator.create(request('dup'))).toBe('existing');
    expect(await creator.create(request('flaky'))).toBe('created');
    await expect(creator.create(request('down'))).rejects.toMatchObject({ code: 14 });
    expect(stats.calls.filter((n) => n === 'down')).toHaveLength(3);
  });

  it('does not retry a permanent error', async () => {
    const { api, stats } = scripted({ bad: [3] });
    await expect(new TaskCreator(api, instantClock).create(request('bad'))).rejects.toMatchObject({ code: 3 });
    expect(stats.calls).toEqual(['bad']);
  });

  it('creates many with at most `concurrency` calls open, settling all before throwing the first failure', async () => {
    const ids = Array.from({ length: 40 }, (_, i) => `t${i}`);
    const { api, stats } = scripted({ t3: [6], t5: [7] });
    const creator = new TaskCreator(api, instantClock);
    await expect(creator.createAll(ids.map(request), 8)).rejects.toMatchObject({ code: 7 });
    expect(stats.calls).toHaveLength(40);
    expect(stats.mostOpen).toBe(8);

    const clean = scripted({ t3: [6] });
    expect(await new TaskCreator(clean.api, instantClock).createAll(ids.map(request), 8)).toEqual({ created: 39, existing: 1 });
  });
});
