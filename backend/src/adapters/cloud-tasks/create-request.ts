// Builds the CreateTask request for one of our tasks: an HTTP POST with a JSON body and an OIDC token.
import type { protos } from '@google-cloud/tasks';
import type { TaskSpec } from '../../ports/queue.js';
import { encodeTaskBody } from './task-body.js';
import { taskPath } from './task-ids.js';

export interface TaskTarget {
  readonly queuePath: string;
  readonly targetBaseUrl: string;
  readonly serviceAccountEmail: string;
  readonly audience: string;
  readonly dispatchDeadlineMs: number;
}

export function createTaskRequest(target: TaskTarget, taskId: string, spec: TaskSpec, attemptOffset = 0): protos.google.cloud.tasks.v2.ICreateTaskRequest {
  const body = encodeTaskBody({ name: spec.name, kind: spec.kind, payload: spec.payload, ...(attemptOffset > 0 ? { attemptOffset } : {}) });
  return {
    parent: target.queuePath,
    task: {
      name: taskPath(target.queuePath, taskId),
      httpRequest: {
        url: `${target.targetBaseUrl}/tasks/${spec.kind}`,
        httpMethod: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body,
        oidcToken: { serviceAccountEmail: target.serviceAccountEmail, audience: target.audience },
      },
      // Rounded up: a task must never run before its schedule time. Left out, Cloud Tasks uses "now".
      ...(spec.scheduleAt === undefined ? {} : { scheduleTime: timestamp(Math.ceil(spec.scheduleAt)) }),
      dispatchDeadline: timestamp(target.dispatchDeadlineMs),
    },
  };
}

/** Milliseconds as google.protobuf.Timestamp / Duration (same shape). */
function timestamp(ms: number): { seconds: number; nanos: number } {
  const seconds = Math.floor(ms / 1000);
  return { seconds, nanos: Math.min(999_999_999, Math.round((ms - seconds * 1000) * 1_000_000)) };
}
