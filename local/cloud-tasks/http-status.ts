// The google.rpc.Code an attempt's HTTP answer is recorded as in Task.last_attempt.response_status.
import { status } from '@grpc/grpc-js';

const BY_HTTP: Readonly<Record<number, status>> = {
  400: status.INVALID_ARGUMENT,
  401: status.UNAUTHENTICATED,
  403: status.PERMISSION_DENIED,
  404: status.NOT_FOUND,
  409: status.ABORTED,
  412: status.FAILED_PRECONDITION,
  429: status.RESOURCE_EXHAUSTED,
  499: status.CANCELLED,
  501: status.UNIMPLEMENTED,
  503: status.UNAVAILABLE,
  504: status.DEADLINE_EXCEEDED,
};

export function rpcCodeForHttp(httpStatus: number): status {
  if (httpStatus >= 200 && httpStatus < 300) return status.OK;
  return BY_HTTP[httpStatus] ?? (httpStatus >= 500 ? status.INTERNAL : status.UNKNOWN);
}

/** 429 and 503 make Cloud Tasks lower the queue's rate, not just back the task off. */
export function isThrottleStatus(httpStatus: number): boolean {
  return httpStatus === 429 || httpStatus === 503;
}
