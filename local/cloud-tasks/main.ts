// Standalone entry: `npx tsx local/cloud-tasks/main.ts --port 8123 --queue projects/p/locations/l/queues/rows` starts the stand-in.
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { startCloudTasksStandIn } from './server.js';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '0' },
      queue: { type: 'string', multiple: true, default: [] },
      'paused-queue': { type: 'string', multiple: true, default: [] },
      'tombstone-ms': { type: 'string' },
      'min-dispatch-deadline-ms': { type: 'string' },
      'jwks-file': { type: 'string' },
    },
    strict: true,
  });
  const standIn = await startCloudTasksStandIn({
    port: Number(values.port),
    queues: [...values.queue.map((name) => ({ name })), ...values['paused-queue'].map((name) => ({ name, paused: true }))],
    ...(values['tombstone-ms'] === undefined ? {} : { tombstoneMs: Number(values['tombstone-ms']) }),
    ...(values['min-dispatch-deadline-ms'] === undefined ? {} : { minDispatchDeadlineMs: Number(values['min-dispatch-deadline-ms']) }),
  });
  // The backend's token verifier in another process needs the signing key: it gets the same JWKS Google would serve.
  if (values['jwks-file']) writeFileSync(values['jwks-file'], JSON.stringify(standIn.jwks()));
  // host:port alone on stdout, so a parent process can read the first line and point CloudTasksClient at it.
  process.stdout.write(`${standIn.address}\n`);
  const stop = (): void => {
    void standIn.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`cloud-tasks-standin: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
