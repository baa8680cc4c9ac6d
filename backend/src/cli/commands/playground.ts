// `rowfill playground`: the local backend, brands.csv in the Sheets stand-in and the compiled add-on, driven from a browser page.
import { resolve } from 'node:path';
import { loadServerConfig } from '../../config.js';
import { loggerFor, type CliIo } from '../cli-io.js';
import { startLocalPlayground } from '../dev-wiring-playground.js';
import { UsageError } from '../usage-error.js';

export interface PlaygroundFlags {
  readonly port?: string;
  readonly dir?: string;
}

export async function playgroundCommand(flags: PlaygroundFlags, io: CliIo, until: Promise<void>): Promise<number> {
  const config = loadServerConfig(io.env);
  if (config.server.mode !== 'local') throw new UsageError('rowfill playground runs the local mode only.');
  const port = flags.port === undefined ? 0 : Number(flags.port);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new UsageError(`--port must be a whole number from 0 to 65535, got ${flags.port}`);
  const stateDir = resolve(flags.dir ?? '.rowfill/playground');
  let simulated = false;
  const playground = await startLocalPlayground({
    config,
    log: loggerFor(config),
    stateDir,
    port,
    onBackend: (server) => {
      simulated = server.runtime.simulated;
    },
  });
  io.stdout.write(`Rowfill playground: ${playground.url}\n`);
  io.stderr.write(`Backend ${playground.backend.url} (local mode${simulated ? ', simulated model: set OPENAI_API_KEY for real answers' : ''}); state in ${stateDir}.\nPress Ctrl-C to stop.\n`);
  await until;
  await playground.close();
  return 0;
}
