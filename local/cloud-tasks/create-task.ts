// Checks a CreateTask request the way the real service does and turns it into a TaskRecord.
import { randomInt } from 'node:crypto';
import { parseQueueName, parseTaskName } from './names.js';
import { protoToMs, type ProtoSeconds } from './proto-time.js';
import { RpcError } from './rpc-error.js';
import { TaskRecord, type HttpTarget, type OidcSpec } from './task-record.js';

export interface ProtoHttpRequest {
  readonly url?: string | null;
  readonly httpMethod?: string | null;
  readonly headers?: Readonly<Record<string, string>> | null;
  readonly body?: Buffer | null;
  readonly oidcToken?: { readonly serviceAccountEmail?: string | null; readonly audience?: string | null } | null;
  readonly oauthToken?: unknown;
}

export interface ProtoTask {
  readonly name?: string | null;
  readonly httpRequest?: ProtoHttpRequest | null;
  readonly appEngineHttpRequest?: unknown;
  readonly scheduleTime?: ProtoSeconds | null;
  readonly dispatchDeadline?: ProtoSeconds | null;
}

export interface CreateTaskLimits {
  /** The shortest dispatch deadline accepted; the real service's is 15 s. */
  readonly minDispatchDeadlineMs: number;
}

const MAX_DISPATCH_DEADLINE_MS = 30 * 60_000;
const DEFAULT_DISPATCH_DEADLINE_MS = 10 * 60_000;
const MAX_SCHEDULE_AHEAD_MS = 30 * 24 * 3_600_000;
const MAX_URL_LENGTH = 2083;
const MAX_HEADERS_BYTES = 80 * 1024;
const MAX_TASK_BYTES = 1024 * 1024;
const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH']);
const METHODS = new Set(['POST', 'GET', 'HEAD', 'PUT', 'DELETE', 'PATCH', 'OPTIONS']);
/** Headers Cloud Tasks computes or keeps for itself ("ignored or replaced", HttpRequest.headers docs). */
const RESERVED_HEADER = /^(host|content-length|user-agent|x-google-.*|x-appengine-.*|x-cloudtasks-.*)$/i;

export function taskFromRequest(parent: unknown, task: ProtoTask | null | undefined, now: number, seq: number, limits: CreateTaskLimits): TaskRecord {
  const queue = parseQueueName(parent, 'parent');
  const queueName = `${queue.parent}/queues/${queue.id}`;
  if (!task) throw RpcError.invalid('task is required');
  let name: string;
  let id: string;
  if (task.name) {
    const parsed = parseTaskName(task.name, 'task.name');
    if (parsed.queue !== queueName) throw RpcError.invalid(`task.name ${task.name} is not in the queue ${queueName}`);
    name = task.name;
    id = parsed.id;
  } else {
    // The real service picks a long random number.
    id = `${randomInt(1, 2 ** 47)}${randomInt(0, 2 ** 47)}`;
    name = `${queueName}/tasks/${id}`;
  }
  if (task.appEngineHttpRequest) throw RpcError.invalid('App Engine tasks are not supported by the stand-in; use http_request');
  if (!task.httpRequest) throw RpcError.invalid('task.http_request is required');
  const target = httpTarget(task.httpRequest);

  const size = (target.body?.length ?? 0) + headerBytes(target.headers) + target.url.length;
  if (size > MAX_TASK_BYTES) throw RpcError.invalid(`Task size too large: ${size} bytes; the limit is ${MAX_TASK_BYTES}`);

  const requested = protoToMs(task.scheduleTime);
  if (requested !== undefined && requested > now + MAX_SCHEDULE_AHEAD_MS) throw RpcError.invalid('task.schedule_time must be at most 30 days in the future');
  const scheduleTime = requested === undefined || requested < now ? now : requested;

  const deadline = protoToMs(task.dispatchDeadline) ?? DEFAULT_DISPATCH_DEADLINE_MS;
  if (deadline < limits.minDispatchDeadlineMs || deadline > MAX_DISPATCH_DEADLINE_MS) {
    throw RpcError.invalid(`task.dispatch_deadline must be between ${limits.minDispatchDeadlineMs / 1000} s and 30 minutes, got ${deadline} ms`);
  }
  return new TaskRecord(name, id, queueName, target, now, deadline, scheduleTime, seq);
}

function httpTarget(request: ProtoHttpRequest): HttpTarget {
  const url = request.url ?? '';
  if (!/^https?:\/\//.test(url)) throw RpcError.invalid(`http_request.url must begin with http:// or https://, got ${JSON.stringify(url)}`);
  if (url.length > MAX_URL_LENGTH) throw RpcError.invalid(`http_request.url is longer than ${MAX_URL_LENGTH} characters`);
  try {
    new URL(url);
  } catch {
    throw RpcError.invalid(`http_request.url is not a valid URL: ${JSON.stringify(url)}`);
  }
  const method = !request.httpMethod || request.httpMethod === 'HTTP_METHOD_UNSPECIFIED' ? 'POST' : request.httpMethod;
  if (!METHODS.has(method)) throw RpcError.invalid(`http_request.http_method ${JSON.stringify(method)} is not supported`);
  const body = request.body && request.body.length > 0 ? Buffer.from(request.body) : undefined;
  if (body && !BODY_METHODS.has(method)) throw RpcError.invalid(`http_request.body is allowed only with POST, PUT or PATCH, not ${method}`);
  if (request.oauthToken) throw RpcError.invalid('http_request.oauth_token is not supported by the stand-in; use oidc_token');

  const headers: Record<string, string> = {};
  for (const [key, value] of Object.entries(request.headers ?? {})) {
    if (RESERVED_HEADER.test(key)) continue;
    headers[key] = String(value);
  }
  if (headerBytes(headers) > MAX_HEADERS_BYTES) throw RpcError.invalid(`http_request.headers must be under ${MAX_HEADERS_BYTES} bytes`);

  let oidc: OidcSpec | undefined;
  if (request.oidcToken) {
    const email = request.oidcToken.serviceAccountEmail ?? '';
    if (!/^[^@\s]+@[^@\s]+$/.test(email)) throw RpcError.invalid(`http_request.oidc_token.service_account_email must be an email, got ${JSON.stringify(email)}`);
    // "If not specified, the URI specified in target will be used."
    oidc = { serviceAccountEmail: email, audience: request.oidcToken.audience || url };
  }
  return { url, method, headers, body, oidc };
}

function headerBytes(headers: Readonly<Record<string, string>>): number {
  let total = 0;
  for (const [key, value] of Object.entries(headers)) total += Buffer.byteLength(key) + Buffer.byteLength(value) + 4;
  return total;
}
