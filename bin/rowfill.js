#!/usr/bin/env node
// The `rowfill` command: runs the compiled CLI in dist/app (built by `npm run build`, which `npm ci` runs as `prepare`).
import { existsSync } from 'node:fs';
import module from 'node:module';
import { URL } from 'node:url';

const cli = new URL('../dist/app/cli.js', import.meta.url);
if (!existsSync(cli)) {
  process.stderr.write('rowfill: the CLI is not built (dist/app/cli.js is missing). Run `npm run build` (`npm ci` runs it too).\n');
  process.exit(70);
}
// Node 22.1+ keeps compiled code between runs; Node 20 has no such cache and skips this.
module.enableCompileCache?.();
await import(cli.href);
