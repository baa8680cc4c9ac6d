// A TaskRecord as the Task message the API returns, in the BASIC view (no body) or FULL.
import { msToProto } from './proto-time.js';
import type { AttemptRecord, TaskRecord } from './task-record.js';

export type TaskView = 'BASIC' | 'FULL';

export function viewOf(requested: unknown): TaskView {
  return requested === 'FULL' ? 'FULL' : 'BASIC';
}

export function taskToProto(task: TaskRecord, view: TaskView): Record<string, unknown> {
  const { target } = task;
  const httpRequest: Record<string, unknown> = { url: target.url, httpMethod: target.method, headers: { ...target.headers } };
  if (view === 'FULL' && target.body) httpRequest.body = target.body;
  if (target.oidc) httpRequest.oidcToken = { ...target.oidc };
  return {
    name: task.name,
    httpRequest,
    scheduleTime: msToProto(task.scheduleTime),
    // "create_time will be truncated to the nearest second."
    createTime: msToProto(Math.floor(task.createTime / 1000) * 1000),
    dispatchDeadline: msToProto(task.dispatchDeadlineMs),
    dispatchCount: task.dispatchCount,
    responseCount: task.responseCount,
    // "Only dispatch_time will be set" on the first attempt.
    ...(task.firstAttempt ? { firstAttempt: { dispatchTime: msToProto(task.firstAttempt.dispatchTime) } } : {}),
    ...(task.lastAttempt ? { lastAttempt: attemptToProto(task.lastAttempt) } : {}),
    view,
  };
}

function attemptToProto(attempt: AttemptRecord): Record<string, unknown> {
  return {
    scheduleTime: msToProto(attempt.scheduleTime),
    dispatchTime: msToProto(attempt.dispatchTime),
    ...(attempt.responseTime === undefined ? {} : { responseTime: msToProto(attempt.responseTime) }),
    ...(attempt.responseStatus ? { responseStatus: { code: attempt.responseStatus.code, message: attempt.responseStatus.message } } : {}),
  };
}
