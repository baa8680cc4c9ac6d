// The CloudTasksQueue's options: what each one means, its default, and the checks that reject a bad value at construction.
import type { protos } from '@google-cloud/tasks';
import type { Clock } from '../../ports/clock.js';
import type { Logger } from '../../ports/logger.js';
import { systemClock } from '../system-clock/system-clock.js';

/** The slice of `CloudTasksClient` the queue calls; the real client fits it as is. */
export interface CloudTasksApi {
  createTask(request: protos.google.cloud.tasks.v2.ICreateTaskRequest): Promise<unknown>;
  pauseQueue(request: protos.google.cloud.tasks.v2.IPauseQueueRequest): Promise<unknown>;
  resumeQueue(request: protos.google.cloud.tasks.v2.IResumeQueueRequest): Promise<unknown>;
}

export interface CloudTasksQueueOptions {
  /** A `CloudTasksClient` from @google-cloud/tasks (Google's endpoint and credentials, or the local stand-in's). */
  readonly client: CloudTasksApi;
  /** The queue: projects/PROJECT/locations/LOCATION/queues/QUEUE. It must exist (cloudbuild.yaml creates it with its rate limits). */
  readonly queuePath: string;
  /** The service's base URL, e.g. https://rowfill-abc-uc.a.run.app; a task of kind K is POSTed to `${targetBaseUrl}/tasks/K`. */
  readonly targetBaseUrl: string;
  /** The service account Cloud Tasks signs each request's OIDC token as. */
  readonly serviceAccountEmail: string;
  /** The OIDC token's audience, which the route checks. Default: `targetBaseUrl`. */
  readonly audience?: string;
  /** How long Cloud Tasks waits for an answer before it counts the attempt failed (ms). 15,000 to 1,800,000; default 600,000. */
  readonly dispatchDeadlineMs?: number;
  /** createTask calls in flight at once during one enqueue. An integer from 1 to 1000; default 32. */
  readonly enqueueConcurrency?: number;
  /** Longest delay a continuation is scheduled for (ms); a handler's larger retryAfterMs is capped. Default 3,600,000. */
  readonly maxRetryDelayMs?: number;
  /**
   * This process is the queue's only consumer: start() resumes the Cloud Tasks queue and stop() pauses it, so tasks
   * enqueued while stopped wait in the queue instead of being dispatched into 503s. For tests and a single-process
   * `rowfill serve`; never where several instances share the queue (Cloud Run), as one stopping would pause them all.
   * Default false.
   */
  readonly pauseQueueWhenStopped?: boolean;
  /** Time for continuation schedules. Default: the system clock. */
  readonly clock?: Clock;
  /** Where to warn about failed continuations and queue state changes. Default: nowhere. */
  readonly logger?: Pick<Logger, 'warn'>;
}

export interface ResolvedCloudTasksQueueOptions {
  readonly client: CloudTasksApi;
  readonly queuePath: string;
  readonly targetBaseUrl: string;
  readonly serviceAccountEmail: string;
  readonly audience: string;
  readonly dispatchDeadlineMs: number;
  readonly enqueueConcurrency: number;
  readonly maxRetryDelayMs: number;
  readonly pauseQueueWhenStopped: boolean;
  readonly clock: Clock;
  readonly logger: Pick<Logger, 'warn'> | undefined;
}

export const CLOUD_TASKS_QUEUE_DEFAULTS = {
  dispatchDeadlineMs: 600_000,
  enqueueConcurrency: 32,
  maxRetryDelayMs: 3_600_000,
  pauseQueueWhenStopped: false,
} as const;

/** Cloud Tasks' bounds for an HTTP task's dispatch deadline. */
export const MIN_DISPATCH_DEADLINE_MS = 15_000;
export const MAX_DISPATCH_DEADLINE_MS = 1_800_000;

const QUEUE_PATH = /^projects\/[A-Za-z0-9.:-]+\/locations\/[A-Za-z0-9-]+\/queues\/[A-Za-z0-9-]{1,100}$/;
const EMAIL = /^[^@\s]+@[^@\s]+$/;

function describe(value: unknown): string {
  return `\`${String(value)}\` (${typeof value})`;
}

export function resolveCloudTasksQueueOptions(options: CloudTasksQueueOptions): ResolvedCloudTasksQueueOptions {
  if (typeof options !== 'object' || options === null) throw new TypeError(`Expected \`options\` to be an object, got ${describe(options)}`);
  const d = CLOUD_TASKS_QUEUE_DEFAULTS;
  const o = options;
  if (typeof o.client?.createTask !== 'function' || typeof o.client.pauseQueue !== 'function' || typeof o.client.resumeQueue !== 'function') {
    throw new TypeError(`Expected \`client\` to be a CloudTasksClient, got ${describe(o.client)}`);
  }
  if (typeof o.queuePath !== 'string' || !QUEUE_PATH.test(o.queuePath)) {
    throw new TypeError(`Expected \`queuePath\` to look like projects/PROJECT/locations/LOCATION/queues/QUEUE, got ${describe(o.queuePath)}`);
  }
  const targetBaseUrl = baseUrl(o.targetBaseUrl, 'targetBaseUrl');
  if (typeof o.serviceAccountEmail !== 'string' || !EMAIL.test(o.serviceAccountEmail)) {
    throw new TypeError(`Expected \`serviceAccountEmail\` to be an email address, got ${describe(o.serviceAccountEmail)}`);
  }
  if (o.audience !== undefined && (typeof o.audience !== 'string' || o.audience.length === 0)) {
    throw new TypeError(`Expected \`audience\` to be a non-empty string, got ${describe(o.audience)}`);
  }
  const dispatchDeadlineMs = o.dispatchDeadlineMs ?? d.dispatchDeadlineMs;
  if (!(typeof dispatchDeadlineMs === 'number' && dispatchDeadlineMs >= MIN_DISPATCH_DEADLINE_MS && dispatchDeadlineMs <= MAX_DISPATCH_DEADLINE_MS)) {
    throw new RangeError(`Expected \`dispatchDeadlineMs\` to be from ${MIN_DISPATCH_DEADLINE_MS} to ${MAX_DISPATCH_DEADLINE_MS} (Cloud Tasks' bounds), got ${describe(dispatchDeadlineMs)}`);
  }
  const enqueueConcurrency = o.enqueueConcurrency ?? d.enqueueConcurrency;
  if (!(Number.isInteger(enqueueConcurrency) && enqueueConcurrency >= 1 && enqueueConcurrency <= 1000)) {
    throw new RangeError(`Expected \`enqueueConcurrency\` to be an integer from 1 to 1000, got ${describe(enqueueConcurrency)}`);
  }
  const maxRetryDelayMs = o.maxRetryDelayMs ?? d.maxRetryDelayMs;
  if (!(typeof maxRetryDelayMs === 'number' && Number.isFinite(maxRetryDelayMs) && maxRetryDelayMs >= 0)) {
    throw new RangeError(`Expected \`maxRetryDelayMs\` to be a finite number from 0 up, got ${describe(maxRetryDelayMs)}`);
  }
  const pauseQueueWhenStopped = o.pauseQueueWhenStopped ?? d.pauseQueueWhenStopped;
  if (typeof pauseQueueWhenStopped !== 'boolean') throw new TypeError(`Expected \`pauseQueueWhenStopped\` to be a boolean, got ${describe(pauseQueueWhenStopped)}`);
  if (o.clock !== undefined && (typeof o.clock?.now !== 'function' || typeof o.clock.sleep !== 'function')) {
    throw new TypeError(`Expected \`clock\` to have now() and sleep(), got ${describe(o.clock)}`);
  }
  if (o.logger !== undefined && typeof o.logger?.warn !== 'function') throw new TypeError(`Expected \`logger\` to have a warn() method, got ${describe(o.logger)}`);
  return {
    client: o.client,
    queuePath: o.queuePath,
    targetBaseUrl,
    serviceAccountEmail: o.serviceAccountEmail,
    audience: o.audience ?? targetBaseUrl,
    dispatchDeadlineMs,
    enqueueConcurrency,
    maxRetryDelayMs,
    pauseQueueWhenStopped,
    clock: o.clock ?? systemClock,
    logger: o.logger,
  };
}

/** An http(s) URL with no query or fragment, returned without its trailing slash. */
function baseUrl(value: unknown, field: string): string {
  let url: URL | undefined;
  try {
    url = typeof value === 'string' ? new URL(value) : undefined;
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:') || url.search !== '' || url.hash !== '') {
    throw new TypeError(`Expected \`${field}\` to be an http(s) URL without query or fragment, got ${describe(value)}`);
  }
  return (value as string).replace(/\/+$/, '');
}
