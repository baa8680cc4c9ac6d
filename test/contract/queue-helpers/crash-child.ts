// A process that runs a LocalQueue on a file and waits to be killed with SIGKILL; the crash tests drive it.
// Usage: node --import tsx crash-child.ts <db path> <task count> <tasks to answer ok, or "all">
// Prints "ok <name>" before answering ok, "parked <name>" for a delivery it will never answer, "ready" when the
// parent may kill it: after 1000 answers with "all", else once the concurrency cap is filled with parked deliveries.
import { LocalQueue } from '../../../backend/src/adapters/local-queue/index.js';
import { openDatabase } from '../../../backend/src/adapters/sqlite/database.js';
import type { TaskOutcome } from '../../../backend/src/ports/queue.js';

const [path, countArg, okArg] = process.argv.slice(2);
const count = Number(countArg);
const okLimit = okArg === 'all' ? Number.POSITIVE_INFINITY : Number(okArg);
const concurrency = 10;

const queue = new LocalQueue({ db: openDatabase({ path: path! }), maxDispatchesPerSecond: 100_000, maxConcurrentDispatches: concurrency });
await queue.enqueue(Array.from({ length: count }, (_, i) => ({ name: `crash-${i}`, kind: 'row' as const, payload: { jobId: 'job-1' } })));

let answered = 0;
let parked = 0;
queue.start((task) => {
  if (answered < okLimit) {
    answered += 1;
    process.stdout.write(`ok ${task.name}\n`);
    if (okArg === 'all' && answered === 1000) process.stdout.write('ready\n');
    return Promise.resolve<TaskOutcome>({ status: 'ok' });
  }
  parked += 1;
  process.stdout.write(`parked ${task.name}\n`);
  if (parked === concurrency) process.stdout.write('ready\n');
  return new Promise<TaskOutcome>(() => undefined);
});
