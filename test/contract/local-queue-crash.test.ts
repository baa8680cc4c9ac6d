// Kills a process running a LocalQueue with SIGKILL and checks a new queue on the same file delivers every unacknowledged task.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { LocalQueue } from '../../backend/src/adapters/local-queue/index.js';
import { openDatabase, type SqliteDatabase } from '../../backend/src/adapters/sqlite/database.js';
import { DeliveryLog } from './queue-helpers/delivery-log.js';
import { waitFor } from './queue-helpers/wait-for.js';

const child = fileURLToPath(new URL('./queue-helpers/crash-child.ts', import.meta.url));
const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

interface Killed {
  readonly acked: Set<string>;
  readonly parked: Set<string>;
}

/** Runs the child until it says "ready", then SIGKILLs it: no stop(), no exit handlers, no final flush. */
async function runAndKill(path: string, count: number, okLimit: number | 'all'): Promise<Killed> {
  const proc = spawn(process.execPath, ['--import', 'tsx', child, path, String(count), String(okLimit)], {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const acked = new Set<string>();
  const parked = new Set<string>();
  const exited = new Promise<NodeJS.Signals | null>((resolve) => proc.on('exit', (_code, signal) => resolve(signal)));
  for await (const line of createInterface({ input: proc.stdout })) {
    const [word, name] = line.split(' ');
    if (word === 'ok') acked.add(name!);
    if (word === 'parked') parked.add(name!);
    // Keep reading after the kill: lines the child wrote before the signal landed are answers it gave.
    if (word === 'ready') proc.kill('SIGKILL');
  }
  expect(await exited).toBe('SIGKILL');
  return { acked, parked };
}

describe('LocalQueue after its process is killed with SIGKILL', () => {
  const cleanups: (() => void)[] = [];
  afterEach(() => {
    for (const cleanup of cleanups.splice(0)) cleanup();
  });

  function tempFile(): string {
    const dir = mkdtempSync(join(tmpdir(), 'rowfill-queue-crash-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    return join(dir, 'rowfill.sqlite');
  }

  function reopen(path: string): { queue: LocalQueue; log: DeliveryLog } {
    const db: SqliteDatabase = openDatabase({ path });
    const queue = new LocalQueue({ db, recoverInFlight: true, maxDispatchesPerSecond: 100_000 });
    const log = new DeliveryLog();
    cleanups.unshift(() => {
      queue.halt();
      db.close();
    });
    queue.start((task) => {
      log.record(task);
      return Promise.resolve({ status: 'ok' });
    });
    return { queue, log };
  }

  it('delivers the parked and never-delivered tasks again, and not the acknowledged ones it recorded', async () => {
    const path = tempFile();
    const all = Array.from({ length: 40 }, (_, i) => `crash-${i}`);
    const killed = await runAndKill(path, 40, 5);
    expect(killed.parked.size).toBe(10);

    const { queue, log } = reopen(path);
    const mustDeliver = all.filter((name) => !killed.acked.has(name));
    await waitFor(() => mustDeliver.every((name) => log.of(name).length > 0), { what: 'every unacknowledged task' });
    await queue.stop();

    expect(mustDeliver).toHaveLength(35);
    expect(new Set([...killed.acked, ...log.names()])).toEqual(new Set(all));
    expect(log.deliveries.filter((d) => killed.parked.has(d.name)).every((d) => d.deliveryAttempt === 2)).toBe(true);
  });

  it('loses no task when killed in the middle of a fast run with batched acknowledgements', async () => {
    const path = tempFile();
    const count = 5000;
    const all = Array.from({ length: count }, (_, i) => `crash-${i}`);
    const killed = await runAndKill(path, count, 'all');
    expect(killed.acked.size).toBeGreaterThan(0);

    const { queue, log } = reopen(path);
    const mustDeliver = all.filter((name) => !killed.acked.has(name));
    // Acknowledgements the child made but had not yet recorded come back too; wait for the file to drain.
    await waitFor(() => queue.stats().pending === 0 && queue.stats().running === 0, { what: 'the file to drain' });
    await queue.stop();

    expect(mustDeliver.filter((name) => log.of(name).length === 0)).toEqual([]);
    expect(new Set([...killed.acked, ...log.names()])).toEqual(new Set(all));
  });
});
