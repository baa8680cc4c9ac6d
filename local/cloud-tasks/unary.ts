// Adapts a synchronous request → response function to a gRPC unary handler, turning a thrown RpcError into the call's status.
import { status, type handleUnaryCall } from '@grpc/grpc-js';
import { RpcError } from './rpc-error.js';

export function unary<Request>(handle: (request: Request) => object): handleUnaryCall<Request, object> {
  return (call, callback) => {
    let response: object;
    try {
      response = handle(call.request);
    } catch (error) {
      if (error instanceof RpcError) callback({ code: error.code, details: error.message });
      else callback({ code: status.INTERNAL, details: `stand-in bug: ${error instanceof Error ? error.message : String(error)}` });
      return;
    }
    callback(null, response);
  };
}
