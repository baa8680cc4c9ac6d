// The one place errors become HTTP answers: typed errors map to a status and a code; nothing else leaks (no stacks).
import type { ErrorRequestHandler } from 'express';
import { ZodError } from 'zod';
import { JobError, type JobErrorCode } from '../kernel/job-errors.js';
import { ForbiddenError } from '../application/caller.js';
import { OverwriteError } from '../application/overwrite.js';
import type { Logger } from '../ports/logger.js';
import { SheetAccessError, type SheetAccessCode } from '../ports/spreadsheet.js';
import { RowfillError } from '../kernel/errors.js';

const JOB_STATUS: Record<JobErrorCode, number> = {
  job_not_found: 404,
  job_state: 409,
  job_running: 409,
  invalid_config: 400,
  unknown_price: 400,
  too_many_rows: 413,
  no_rows: 400,
  model_unavailable: 424,
};

const SHEET_STATUS: Record<SheetAccessCode, number> = {
  not_shared: 403,
  not_found: 404,
  invalid_range: 400,
  too_many_rows: 413,
  unknown_column: 400,
  quota: 429,
};

/** An error that already knows its HTTP status and code (the auth errors). */
function isStatusError(error: unknown): error is Error & { status: number; code: string } {
  return error instanceof Error && typeof (error as { status?: unknown }).status === 'number' && typeof (error as { code?: unknown }).code === 'string';
}

export function toHttp(error: unknown): { status: number; code: string; message: string } {
  if (error instanceof ZodError) {
    return { status: 400, code: 'invalid_request', message: error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ') };
  }
  if (error instanceof JobError) return { status: JOB_STATUS[error.code], code: error.code, message: error.message };
  if (error instanceof SheetAccessError) return { status: SHEET_STATUS[error.code], code: error.code, message: error.message };
  if (error instanceof ForbiddenError) return { status: 403, code: 'forbidden', message: error.message };
  if (error instanceof RowfillError) return { status: error.retryable ? 503 : 502, code: error.errorClass, message: error.message };
  // The router's own refusal of a path it cannot decode (`/v1/jobs/%ff`): a URIError with status 400 and no code.
  if (error instanceof URIError && (error as { status?: unknown }).status === 400) {
    return { status: 400, code: 'invalid_request', message: 'The address is not valid: it has a malformed percent-encoding (%).' };
  }
  if (error instanceof OverwriteError) return { status: 409, code: 'output_overwrite', message: error.message };
  if (isStatusError(error) && error.status >= 400 && error.status < 600) {
    // body-parser's errors carry `type` (e.g. entity.too.large) and an `expose` flag; ours carry a code.
    return { status: error.status, code: error.code, message: error.message };
  }
  const type = (error as { type?: unknown } | null)?.type;
  if (type === 'entity.too.large') return { status: 413, code: 'body_too_large', message: 'The request body is too large.' };
  if (type === 'entity.parse.failed') return { status: 400, code: 'invalid_json', message: 'The request body is not valid JSON.' };
  return { status: 500, code: 'internal', message: 'Something went wrong on our side; it has been logged.' };
}

export function errorMiddleware(log: Logger): ErrorRequestHandler {
  return (error: unknown, req, res, _next) => {
    const mapped = toHttp(error);
    if (mapped.status >= 500) log.error({ path: req.path, error: error instanceof Error ? error.message : String(error), stack: error instanceof Error ? error.stack : undefined }, 'request failed');
    res.status(mapped.status).json({ error: { code: mapped.code, message: mapped.message } });
  };
}
