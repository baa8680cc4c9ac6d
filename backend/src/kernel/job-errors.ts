// Errors of job operations (not of rows): unknown job, an action the job's state does not allow, a refused start.

export type JobErrorCode = 'job_not_found' | 'job_state' | 'job_running' | 'invalid_config' | 'unknown_price' | 'too_many_rows' | 'no_rows' | 'model_unavailable';

export class JobError extends Error {
  constructor(
    readonly code: JobErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'JobError';
  }
}
