// Starts the Cloud Tasks v2 stand-in on 127.0.0.1: the gRPC API the real client speaks, and a dispatcher that POSTs tasks.
import { credentials, Server, ServerCredentials, type ChannelCredentials } from '@grpc/grpc-js';
import { parseQueueName } from './names.js';
import { LocalOidcIssuer, type PublicJwk } from './oidc-issuer.js';
import { resolveStandInOptions, type CloudTasksStandInOptions } from './options.js';
import { cloudTasksService } from './protos.js';
import { configFrom, QUEUE_DEFAULTS, type QueueConfig } from './queue-config.js';
import { queueRpcs } from './queue-rpcs.js';
import type { QueueState, QueueStats } from './queue-runtime.js';
import { RpcError } from './rpc-error.js';
import { StandInState } from './standin-state.js';
import { taskRpcs } from './task-rpcs.js';

/** What `new CloudTasksClient(...)` needs to talk to the stand-in, with no Google credentials looked up at all. */
export interface StandInClientOptions {
  readonly apiEndpoint: string;
  readonly port: number;
  /** Plain-text gRPC; google-gax uses it instead of building TLS + Google auth credentials. */
  readonly sslCreds: ChannelCredentials;
  /** Named so google-gax's universe check does not ask Application Default Credentials (or the metadata server). */
  readonly universeDomain: string;
}

export interface TaskSnapshot {
  readonly name: string;
  readonly queue: string;
  readonly url: string;
  /** Epoch ms of the next (or current) attempt. */
  readonly scheduleTime: number;
  readonly dispatchCount: number;
  readonly responseCount: number;
  /** An attempt is in flight. */
  readonly dispatching: boolean;
  /** The last failed attempt's HTTP status, 0 when it got no answer; absent before any failure. */
  readonly lastResponse: number | undefined;
}

export interface QueueSnapshot extends QueueStats {
  readonly name: string;
  readonly state: QueueState;
  readonly config: QueueConfig;
}

export interface CloudTasksStandIn {
  /** host:port */
  readonly address: string;
  readonly port: number;
  /** Spread into `new CloudTasksClient({ ...standIn.clientOptions })`. */
  readonly clientOptions: StandInClientOptions;
  /** The default signer's issuer: its public key verifies the tokens (unused for signing when `signer` was given). */
  readonly issuer: LocalOidcIssuer;
  /** The default signer's public keys, shaped like https://www.googleapis.com/oauth2/v3/certs. */
  jwks(): { keys: PublicJwk[] };
  /** kid → PEM, for google-auth-library's `verifySignedJwtWithCertsAsync`. */
  certificates(): Record<string, string>;
  /** Tasks held now (waiting, backing off or in flight), earliest schedule first; one queue's, or all. */
  tasks(queue?: string): TaskSnapshot[];
  /** Every queue's settings, state and counters. */
  queues(): QueueSnapshot[];
  /** Stops listening, abandons attempts in flight, and forgets everything. */
  close(): Promise<void>;
}

export async function startCloudTasksStandIn(options: CloudTasksStandInOptions = {}): Promise<CloudTasksStandIn> {
  const resolved = resolveStandInOptions(options);
  const issuer = new LocalOidcIssuer({ issuer: resolved.oidcIssuer });
  const state = new StandInState({ signer: resolved.signer ?? issuer.sign, tombstoneMs: resolved.tombstoneMs });
  for (const spec of resolved.queues) {
    let name;
    let config;
    try {
      name = parseQueueName(spec.name, 'queues[].name');
      config = configFrom({}, { ...QUEUE_DEFAULTS, ...withoutUndefined(spec) });
    } catch (error) {
      throw new Error(`CloudTasksStandIn: ${error instanceof RpcError ? error.message : String(error)}`);
    }
    state.createQueue(spec.name, name.id, config, spec.paused ? 'PAUSED' : 'RUNNING');
  }

  const server = new Server();
  server.addService(cloudTasksService(), { ...queueRpcs(state), ...taskRpcs(state, { minDispatchDeadlineMs: resolved.minDispatchDeadlineMs }) });
  const port = await new Promise<number>((resolve, reject) => {
    server.bindAsync(`127.0.0.1:${resolved.port}`, ServerCredentials.createInsecure(), (error, bound) => (error ? reject(error) : resolve(bound)));
  });

  let closing: Promise<void> | undefined;
  return {
    address: `127.0.0.1:${port}`,
    port,
    clientOptions: { apiEndpoint: '127.0.0.1', port, sslCreds: credentials.createInsecure(), universeDomain: 'googleapis.com' },
    issuer,
    jwks: () => issuer.jwks(),
    certificates: () => issuer.certificates(),
    tasks: (queue) => {
      const queues = queue === undefined ? state.queues() : [state.findQueue(queue)].filter((q) => q !== undefined);
      return queues.flatMap((q) =>
        q.list().map((t) => ({
          name: t.name,
          queue: t.queue,
          url: t.target.url,
          scheduleTime: t.scheduleTime,
          dispatchCount: t.dispatchCount,
          responseCount: t.responseCount,
          dispatching: t.dispatching,
          lastResponse: t.previousResponse,
        })),
      );
    },
    queues: () => state.queues().map((q) => ({ name: q.name, state: q.state, config: q.config, ...q.stats() })),
    close: () => {
      closing ??= new Promise<void>((resolve) => {
        state.close();
        // Clients may hold the channel open; forceShutdown cancels their calls instead of waiting for them.
        server.forceShutdown();
        resolve();
      });
      return closing;
    },
  };
}

function withoutUndefined(spec: object): Partial<QueueConfig> {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(QUEUE_DEFAULTS)) {
    const value = (spec as Record<string, unknown>)[key];
    if (value !== undefined) out[key] = value;
  }
  return out;
}
