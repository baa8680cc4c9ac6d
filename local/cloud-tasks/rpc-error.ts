// A gRPC status a handler throws; the service wrapper turns it into the call's error, as the real service answers.
import { status } from '@grpc/grpc-js';

export class RpcError extends Error {
  readonly code: status;

  constructor(code: status, message: string) {
    super(message);
    this.name = 'RpcError';
    this.code = code;
  }

  static invalid(message: string): RpcError {
    return new RpcError(status.INVALID_ARGUMENT, message);
  }

  static notFound(what: string): RpcError {
    return new RpcError(status.NOT_FOUND, `Requested entity was not found: ${what}`);
  }

  static alreadyExists(what: string): RpcError {
    return new RpcError(status.ALREADY_EXISTS, `Requested entity already exists: ${what}`);
  }
}
