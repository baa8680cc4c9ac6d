// What every command needs from its surroundings: streams, the validated config, a logger, and how to open the runtime.
import { resolve } from 'node:path';
import pino from 'pino';
import { loadConfig, type RowfillConfig } from '../config.js';
import type { Logger } from '../ports/logger.js';
import { openEmbeddedRuntime, type EmbeddedRuntime, type EmbeddedRuntimeOptions } from './embedded-runtime.js';
import type { ProgressMode } from './progress-view.js';

export interface CliIo {
  readonly stdout: NodeJS.WriteStream;
  readonly stderr: NodeJS.WriteStream;
  readonly env: Readonly<Record<string, string | undefined>>;
}

export function configFor(io: CliIo, dbFlag: string | undefined): RowfillConfig {
  const config = loadConfig(io.env);
  return { ...config, dbPath: resolve(dbFlag ?? config.dbPath) };
}

export function loggerFor(config: RowfillConfig): Logger {
  return pino({ level: config.logLevel, base: undefined }, pino.destination({ fd: 2, sync: true }));
}

export function progressMode(io: CliIo, json: boolean): ProgressMode {
  if (json) return 'json';
  return io.stderr.isTTY ? 'tty' : 'plain';
}

export function openRuntime(config: RowfillConfig, extra: Partial<EmbeddedRuntimeOptions> = {}): Promise<EmbeddedRuntime> {
  return openEmbeddedRuntime({ config, log: loggerFor(config), ...extra });
}

export function simulatedNotice(runtime: EmbeddedRuntime): string | undefined {
  return runtime.simulated ? 'Model: simulated — answers come from the local stand-in because OPENAI_API_KEY is not set.' : undefined;
}
