// Child-process entry for the SQLite multi-process race: opens its own connection to the file and races the others.
// Usage: node --import tsx sqlite-race-worker.ts <db-path> <options-json>. Prints `ready`, waits for a line on stdin
// (the start barrier, so no racer gets a head start while the others are still booting), then prints one JSON RaceReport.
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { openDatabase } from '../../../backend/src/adapters/sqlite/database.js';
import { SqliteStore } from '../../../backend/src/adapters/sqlite/sqlite-store.js';
import { raceClaimsAndFinishes, type RaceOptions } from './race-claims.js';

const [path, optionsJson] = process.argv.slice(2);
if (path === undefined || optionsJson === undefined) throw new Error('usage: sqlite-race-worker.ts <db-path> <options-json>');
const store = new SqliteStore(openDatabase({ path, busyTimeoutMs: 30_000 }), { closeDatabase: true });
const lines = createInterface({ input: process.stdin });
process.stdout.write('ready\n');
await once(lines, 'line');
lines.close();
const report = await raceClaimsAndFinishes(store, JSON.parse(optionsJson) as RaceOptions);
await store.close();
process.stdout.write(`${JSON.stringify(report)}\n`);
