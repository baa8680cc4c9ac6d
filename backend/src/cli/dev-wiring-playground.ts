// Dev wiring: the local playground (local/playground) over the local backend, for `rowfill playground`.
import { join } from 'node:path';
import { startPlayground, type Playground } from '../../../local/playground/index.js';
import type { ServerConfig } from '../config.js';
import type { Logger } from '../ports/logger.js';
import { LOCAL_SERVICE_ACCOUNT } from './dev-wiring-sheets.js';
import { startLocalServer, type LocalServer } from './local-server.js';

export type { Playground };

export interface PlaygroundWiring {
  readonly config: ServerConfig;
  readonly log: Logger;
  /** Where the backend's database, the Sheets stand-in's workbooks and the built add-on live. */
  readonly stateDir: string;
  /** The page's port on 127.0.0.1; 0 picks a free one. */
  readonly port: number;
  /** Called with the backend once it runs. */
  readonly onBackend?: (server: LocalServer) => void;
}

export function startLocalPlayground(wiring: PlaygroundWiring): Promise<Playground> {
  return startPlayground({
    stateDir: wiring.stateDir,
    port: wiring.port,
    serviceAccount: LOCAL_SERVICE_ACCOUNT,
    startBackend: async ({ stateDir }) => {
      // The backend picks its own free port: the page's port is the one the user opens.
      const server = await startLocalServer({ config: { ...wiring.config, dbPath: join(stateDir, 'rowfill.db') }, log: wiring.log, port: 0 });
      wiring.onBackend?.(server);
      return { ...server, simulatedModel: server.runtime.simulated, simulatedSearch: server.research.simulated };
    },
  });
}
