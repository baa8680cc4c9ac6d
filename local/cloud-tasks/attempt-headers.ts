// The headers a dispatch carries: the task's own, the OIDC bearer token, and the X-CloudTasks-* set the real service adds.
import type { TaskRecord } from './task-record.js';

export function attemptHeaders(task: TaskRecord, queueId: string, token: string | undefined): Record<string, string> {
  const headers: Record<string, string> = { ...task.target.headers, 'User-Agent': 'Google-Cloud-Tasks' };
  // An OIDC token overrides any Authorization header the task names (HttpRequest.authorization_header docs).
  if (token !== undefined) {
    for (const key of Object.keys(headers)) if (key.toLowerCase() === 'authorization') delete headers[key];
    headers.Authorization = `Bearer ${token}`;
  }
  headers['X-CloudTasks-QueueName'] = queueId;
  headers['X-CloudTasks-TaskName'] = task.id;
  // Counted before this attempt: 0 on the first one.
  headers['X-CloudTasks-TaskRetryCount'] = String(task.dispatchCount - 1);
  headers['X-CloudTasks-TaskExecutionCount'] = String(task.executionCount);
  // Seconds since the epoch, as the real header gives it.
  headers['X-CloudTasks-TaskETA'] = (task.scheduleTime / 1000).toFixed(6);
  if (task.previousResponse !== undefined) headers['X-CloudTasks-TaskPreviousResponse'] = String(task.previousResponse);
  if (task.retryReason !== undefined) headers['X-CloudTasks-TaskRetryReason'] = task.retryReason;
  return headers;
}
