// The stand-in's options: what each means, its default, and the checks that refuse a bad value before anything listens.
import type { OidcSigner } from './oidc-issuer.js';
import type { QueueConfig } from './queue-config.js';

export interface StandInQueueSpec extends Partial<QueueConfig> {
  /** projects/PROJECT/locations/LOCATION/queues/QUEUE */
  readonly name: string;
  /** Start paused (as after PauseQueue). Default false. */
  readonly paused?: boolean;
}

export interface CloudTasksStandInOptions {
  /** TCP port on 127.0.0.1; default 0 picks a free one (read it from `port`). */
  readonly port?: number;
  /** Mints each dispatch's OIDC bearer token. Default: the stand-in's own issuer (`issuer.sign`), RS256 with a key made at start. */
  readonly signer?: OidcSigner;
  /** The `iss` claim of the default signer's tokens. Default 'https://accounts.google.com'. */
  readonly oidcIssuer?: string;
  /** How long a finished or deleted task's name keeps answering ALREADY_EXISTS (ms). Default 3,600,000 (the real ~1 h). */
  readonly tombstoneMs?: number;
  /** The shortest task dispatch_deadline accepted (ms). Default 15,000, the real minimum; tests may lower it. */
  readonly minDispatchDeadlineMs?: number;
  /** Queues that exist from the start, as if created with CreateQueue (settings default as the real service's). */
  readonly queues?: readonly StandInQueueSpec[];
}

export interface ResolvedStandInOptions {
  readonly port: number;
  readonly signer: OidcSigner | undefined;
  readonly oidcIssuer: string;
  readonly tombstoneMs: number;
  readonly minDispatchDeadlineMs: number;
  readonly queues: readonly StandInQueueSpec[];
}

function fail(message: string): never {
  throw new Error(`CloudTasksStandIn: ${message}`);
}

export function resolveStandInOptions(options: CloudTasksStandInOptions): ResolvedStandInOptions {
  if (typeof options !== 'object' || options === null) fail(`options must be an object, got ${JSON.stringify(options)}`);
  const { port = 0, signer, oidcIssuer = 'https://accounts.google.com', tombstoneMs = 3_600_000, minDispatchDeadlineMs = 15_000, queues = [] } = options;
  if (!Number.isInteger(port) || port < 0 || port > 65_535) fail(`port must be an integer from 0 to 65535, got ${JSON.stringify(port)}`);
  if (signer !== undefined && typeof signer !== 'function') fail(`signer must be a function, got ${typeof signer}`);
  if (typeof oidcIssuer !== 'string' || oidcIssuer.length === 0) fail(`oidcIssuer must be a non-empty string, got ${JSON.stringify(oidcIssuer)}`);
  if (typeof tombstoneMs !== 'number' || !Number.isFinite(tombstoneMs) || tombstoneMs < 0) fail(`tombstoneMs must be a finite number >= 0, got ${JSON.stringify(tombstoneMs)}`);
  if (typeof minDispatchDeadlineMs !== 'number' || !Number.isFinite(minDispatchDeadlineMs) || minDispatchDeadlineMs <= 0) {
    fail(`minDispatchDeadlineMs must be a finite number > 0, got ${JSON.stringify(minDispatchDeadlineMs)}`);
  }
  if (!Array.isArray(queues)) fail(`queues must be an array, got ${typeof queues}`);
  return { port, signer, oidcIssuer, tombstoneMs, minDispatchDeadlineMs, queues };
}
