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

/** The page's usual address, so a bookmark keeps working; when it is taken, any free port will do. */
export const PLAYGROUND_PORT = 4400;

const inUse = (error: unknown): boolean => (error as NodeJS.ErrnoException | undefined)?.code === 'EADDRINUSE';

export async function playgroundCommand(flags: PlaygroundFlags, io: CliIo, until: Promise<void>): Promise<number> {
  const config = loadServerConfig(io.env);
  if (config.server.mode !== 'local') throw new UsageError('rowfill playground runs the local mode only.');
  const port = flags.port === undefined ? PLAYGROUND_PORT : Number(flags.port);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new UsageError(`--port must be a whole number from 0 to 65535, got ${flags.port}`);
  const stateDir = resolve(flags.dir ?? '.rowfill/playground');
  let simulated = false;
  let simulatedSearch = false;
  const start = (onPort: number) =>
    startLocalPlayground({
      config,
      log: loggerFor(config),
      stateDir,
      port: onPort,
      onBackend: (server) => {
        simulated = server.runtime.simulated;
        simulatedSearch = server.research.simulated;
      },
    });
  const playground = await start(port).catch((error: unknown) => {
    if (!inUse(error)) throw error;
    if (flags.port !== undefined) throw new UsageError(`Port ${port} is in use: pick another with --port, or --port 0 for any free one.`);
    return start(0);
  });
  io.stdout.write(`Rowfill playground: ${playground.url}\n`);
  io.stderr.write(`Open it in a browser: click row numbers to select rows, choose columns in the sidebar, then Enrich.\n`);
  io.stderr.write(`Backend ${playground.backend.url} (local mode${simulated ? ', simulated model: set OPENAI_API_KEY for real answers' : ''}${simulatedSearch ? ', simulated search: set TAVILY_API_KEY for the web' : ''}); state in ${stateDir}.\nPress Ctrl-C to stop.\n`);
  await until;
  await playground.close();
  return 0;
}
