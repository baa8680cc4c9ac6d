// The JSON body of a dispatched task: what the queue writes at enqueue and what the HTTP route reads back.
import type { TaskKind, TaskPayload } from '../../ports/queue.js';

export interface TaskBody {
  readonly name: string;
  readonly kind: TaskKind;
  readonly payload: TaskPayload;
  /** Deliveries that happened before this Cloud Tasks task existed (a continuation carries its predecessor's count). */
  readonly attemptOffset?: number;
}

/** A request that is not one of our tasks; the route answers 400, and Cloud Tasks retries it until max_attempts. */
export class TaskRequestError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TaskRequestError';
  }
}

export function encodeTaskBody(body: TaskBody): Buffer {
  return Buffer.from(JSON.stringify(body));
}

/** Accepts the raw bytes, the text, or a body an upstream JSON parser (express.json) already parsed. */
export function parseTaskBody(raw: unknown): TaskBody {
  let value: unknown = raw;
  if (Buffer.isBuffer(raw) || raw instanceof Uint8Array) value = Buffer.from(raw).toString('utf8');
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value) as unknown;
    } catch {
      throw new TaskRequestError('Expected the task body to be JSON');
    }
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new TaskRequestError('Expected the task body to be a JSON object');
  const body = value as Record<string, unknown>;
  if (typeof body.name !== 'string' || body.name.length === 0) throw new TaskRequestError('Expected the task body to have a non-empty string `name`');
  if (body.kind !== 'row' && body.kind !== 'pump') throw new TaskRequestError(`Expected the task body's \`kind\` to be 'row' or 'pump', got \`${String(body.kind)}\``);
  const offset = body.attemptOffset ?? 0;
  if (!(typeof offset === 'number' && Number.isInteger(offset) && offset >= 0)) {
    throw new TaskRequestError(`Expected the task body's \`attemptOffset\` to be an integer from 0 up, got \`${JSON.stringify(offset)}\``);
  }
  return { name: body.name, kind: body.kind, payload: parsePayload(body.payload), attemptOffset: offset };
}

/** Rebuilt field by field, so whatever else a body carries never reaches the engine. */
function parsePayload(raw: unknown): TaskPayload {
  if (typeof raw !== 'object' || raw === null) throw new TaskRequestError('Expected the task body to have an object `payload`');
  const p = raw as Record<string, unknown>;
  if (typeof p.jobId !== 'string' || p.jobId.length === 0) throw new TaskRequestError('Expected `payload.jobId` to be a non-empty string');
  if (p.rowId !== undefined && typeof p.rowId !== 'string') throw new TaskRequestError('Expected `payload.rowId` to be a string when present');
  if (p.dispatchSeq !== undefined && !(typeof p.dispatchSeq === 'number' && Number.isInteger(p.dispatchSeq))) {
    throw new TaskRequestError('Expected `payload.dispatchSeq` to be an integer when present');
  }
  return {
    jobId: p.jobId,
    ...(p.rowId === undefined ? {} : { rowId: p.rowId }),
    ...(p.dispatchSeq === undefined ? {} : { dispatchSeq: p.dispatchSeq }),
  };
}
