// Test-side Firestore clients for the emulator: one per simulated process, each test in its own root document.
import { randomUUID } from 'node:crypto';
import { Firestore } from '@google-cloud/firestore';

export const EMULATOR_PROJECT_ID = 'rowfill-test';

/** A new client (its own channel, as another process would have) talking to the emulator at `host`. */
export function emulatorClient(host: string): Firestore {
  // Without a host the client would go to firestore.googleapis.com: tests talk to the loopback emulator only.
  if (!/^(127\.0\.0\.1|localhost|\[::1\]):\d+$/.test(host ?? '')) throw new Error(`emulatorClient: ${String(host)} is not a loopback emulator address`);
  process.env.METADATA_SERVER_DETECTION ??= 'none';
  return new Firestore({ projectId: EMULATOR_PROJECT_ID, host, ssl: false });
}

/** A root document no other test uses, so tests running side by side share nothing. */
export function freshRootPath(prefix = 'tests'): string {
  return `${prefix}/${randomUUID()}`;
}
