// `rowfill serve`: run the backend's HTTP API locally (127.0.0.1, a local token) over the embedded default.
import { loadServerConfig } from '../../config.js';
import { loggerFor, type CliIo } from '../cli-io.js';
import { assertStateFile, realTarget } from '../file-paths.js';
import { startLocalServer } from '../local-server.js';
import { UsageError } from '../usage-error.js';

export interface ServeFlags {
  readonly port?: string;
  readonly db?: string;
}

export async function serveCommand(flags: ServeFlags, io: CliIo, until: Promise<void>): Promise<number> {
  const loaded = loadServerConfig(io.env);
  if (loaded.server.mode !== 'local') throw new UsageError('rowfill serve runs the local mode only; the cloud backend starts from backend/src/http/server.ts.');
  const port = flags.port === undefined ? loaded.server.port : Number(flags.port);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new UsageError(`--port must be a whole number from 0 to 65535, got ${flags.port}`);
  const config = { ...loaded, dbPath: realTarget(flags.db ?? loaded.dbPath) };
  // Any other file opened as the database would be rewritten into one.
  assertStateFile(config.dbPath);
  const server = await startLocalServer({ config, log: loggerFor(config), port });
  io.stderr.write(
    `Rowfill backend on ${server.url} (local mode${server.runtime.simulated ? ', simulated model' : ''}${server.research.simulated ? ', simulated search: set TAVILY_API_KEY for the web' : ''}).\n` +
      `Send "Authorization: Bearer <token>" with the token in ${server.tokenPath}. Local Sheets stand-in: ${server.sheets.url}\nPress Ctrl-C to stop.\n`,
  );
  await until;
  await server.close();
  return 0;
}
