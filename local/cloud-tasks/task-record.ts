// One task the stand-in holds: what to send, when, and what its attempts so far have been.

export interface OidcSpec {
  readonly serviceAccountEmail: string;
  readonly audience: string;
}

export interface HttpTarget {
  readonly url: string;
  readonly method: string;
  /** The caller's headers, minus those Cloud Tasks computes or reserves. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Buffer | undefined;
  readonly oidc: OidcSpec | undefined;
}

export interface AttemptStatus {
  /** A google.rpc.Code. */
  readonly code: number;
  readonly message: string;
}

export interface AttemptRecord {
  readonly scheduleTime: number;
  readonly dispatchTime: number;
  responseTime?: number;
  responseStatus?: AttemptStatus;
}

export class TaskRecord {
  /** Bumped whenever the task is dispatched, rescheduled or removed, so stale heap entries and late answers are ignored. */
  version = 0;
  dispatchCount = 0;
  responseCount = 0;
  /** Responses that were not 5xx: what X-CloudTasks-TaskExecutionCount reports. */
  executionCount = 0;
  dispatching = false;
  removed = false;
  firstAttempt: AttemptRecord | undefined;
  lastAttempt: AttemptRecord | undefined;
  /** The HTTP status of the previous attempt, for X-CloudTasks-TaskPreviousResponse (0 when none came back). */
  previousResponse: number | undefined;
  retryReason: string | undefined;

  constructor(
    /** projects/…/queues/…/tasks/ID */
    readonly name: string,
    readonly id: string,
    readonly queue: string,
    readonly target: HttpTarget,
    readonly createTime: number,
    readonly dispatchDeadlineMs: number,
    public scheduleTime: number,
    /** Creation order, to break schedule-time ties first come, first served. */
    readonly seq: number,
  ) {}
}
