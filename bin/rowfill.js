#!/usr/bin/env node
// The `rowfill` command: runs the compiled CLI in dist/app (built by `npm run build`, which `npm ci` runs as `prepare`).
import { existsSync } from 'node:fs';
import { URL } from 'node:url';

const cli = new URL('../dist/app/cli.js', import.meta.url);
if (!existsSync(cli)) {
  process.stderr.write('rowfill: the CLI is not built (dist/app/cli.js is missing). Run `npm run build` (`npm ci` runs it too).\n');
  process.exit(70);
}
await import(cli.href);
