// The backend's entry point on Cloud Run: validated config → the cloud composition (compose/cloud.ts) → listen.
import pino from 'pino';
import { cloudAdapters, cloudBackendSettings, composeCloudBackend } from '../compose/cloud.js';
import { loadServerConfig, type CloudServerSettings, type ServerConfig } from '../config.js';
import type { Logger } from '../ports/logger.js';

/** Cloud Logging reads `severity`; pino's numeric level alone would show every line as DEFAULT. */
export function cloudLogger(level: ServerConfig['logLevel']): Logger {
  return pino({
    level,
    base: undefined,
    messageKey: 'message',
    formatters: { level: (label) => ({ severity: label === 'warn' ? 'WARNING' : label.toUpperCase() }) },
    redact: { paths: ['*.authorization', '*.apiKey', '*.token', 'req.headers.authorization'], censor: '[redacted]' },
  });
}

export function startCloudServer(config: ServerConfig & { readonly server: CloudServerSettings }): void {
  const log = cloudLogger(config.logLevel);
  const s = config.server;
  const adapters = cloudAdapters(config, log);
  const backend = composeCloudBackend(adapters, cloudBackendSettings(config));
  const server = backend.app.listen(s.port, s.host, () => log.info({ port: s.port }, 'rowfill backend listening'));
  // Cloud Run sends SIGTERM before stopping an instance: new task deliveries get 503, those in flight finish and are
  // answered (the queue counts them), then in-flight requests finish and the process exits.
  process.once('SIGTERM', () => {
    void adapters.queue.stop().finally(() => server.close(() => process.exit(0)));
  });
}

const isMain = import.meta.url === `file://${process.argv[1]}`;
if (isMain) {
  let config: ServerConfig;
  try {
    config = loadServerConfig();
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(2);
  }
  if (config.server.mode !== 'cloud') {
    process.stderr.write('ROWFILL_MODE is not "cloud": for a local backend run `rowfill serve`.\n');
    process.exit(2);
  }
  startCloudServer(config as ServerConfig & { readonly server: CloudServerSettings });
}
