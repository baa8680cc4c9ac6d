// What every command needs from its surroundings: streams, the validated config, a logger, and how to open the runtime.
import { existsSync } from 'node:fs';
import pino from 'pino';
import { loadConfig, type RowfillConfig } from '../config.js';
import type { Logger } from '../ports/logger.js';
import { openEmbeddedRuntime, type EmbeddedRuntime, type EmbeddedRuntimeOptions } from './embedded-runtime.js';
import { assertFileCanExist, assertStateFile, realTarget } from './file-paths.js';
import type { ProgressMode } from './progress-view.js';

export interface CliIo {
  readonly stdout: NodeJS.WriteStream;
  readonly stderr: NodeJS.WriteStream;
  readonly env: Readonly<Record<string, string | undefined>>;
}

/** The state file is named by its real path, so one file has one lock and one identity however it is spelled. */
export function configFor(io: CliIo, dbFlag: string | undefined): RowfillConfig {
  const config = loadConfig(io.env);
  return { ...config, dbPath: realTarget(dbFlag ?? config.dbPath) };
}

export function loggerFor(config: RowfillConfig): Logger {
  return pino({ level: config.logLevel, base: undefined }, pino.destination({ fd: 2, sync: true }));
}

export function progressMode(io: CliIo, json: boolean): ProgressMode {
  if (json) return 'json';
  return io.stderr.isTTY ? 'tty' : 'plain';
}

export interface OpenRuntimeOptions extends Partial<EmbeddedRuntimeOptions> {
  /** A command that only reads: when the state file does not exist yet, read an empty in-memory one instead of creating it. */
  readonly readOnly?: boolean;
}

/** Opens the runtime after checking the state file, so a non-database file is never rewritten and a bad path is one line. */
export function openRuntime(config: RowfillConfig, options: OpenRuntimeOptions = {}): Promise<EmbeddedRuntime> {
  const { readOnly, ...extra } = options;
  const dbPath = readOnly && !existsSync(config.dbPath) ? ':memory:' : config.dbPath;
  if (dbPath !== ':memory:') assertStateFile(dbPath);
  else assertFileCanExist('--db', config.dbPath);
  const effective = { ...config, dbPath };
  return openEmbeddedRuntime({ config: effective, log: loggerFor(effective), ...extra });
}

export function simulatedNotice(runtime: EmbeddedRuntime): string | undefined {
  return runtime.simulated ? 'Model: simulated — answers come from the local stand-in because OPENAI_API_KEY is not set.' : undefined;
}

/** Research jobs only: says when searches and pages come from the local stand-in. */
export function searchSimulatedNotice(runtime: EmbeddedRuntime, research: boolean): string | undefined {
  return research && runtime.research.simulated
    ? 'Search: simulated — web searches and pages come from the local search stand-in because TAVILY_API_KEY is not set.'
    : undefined;
}
