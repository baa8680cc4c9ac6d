// The queue methods of the CloudTasks service: list, get, create, update (creating when missing), delete, purge, pause, resume.
import type { UntypedServiceImplementation } from '@grpc/grpc-js';
import { checkLocation, parseQueueName } from './names.js';
import { page, type PageRequest } from './paging.js';
import { configFrom, configToProto, configUpdate, type ProtoQueueSettings } from './queue-config.js';
import type { QueueRuntime } from './queue-runtime.js';
import { RpcError } from './rpc-error.js';
import type { StandInState } from './standin-state.js';
import { unary } from './unary.js';

interface ProtoQueue extends ProtoQueueSettings {
  readonly name?: string | null;
}

export function queueToProto(queue: QueueRuntime): object {
  return { name: queue.name, ...configToProto(queue.config), state: queue.state };
}

export function queueRpcs(state: StandInState): UntypedServiceImplementation {
  const byName = (request: { name?: string | null }): QueueRuntime => {
    parseQueueName(request.name, 'name');
    return state.queue(request.name!);
  };
  return {
    ListQueues: unary((request: PageRequest & { parent?: string | null }) => {
      const parent = checkLocation(request.parent, 'parent');
      const all = state.queues().filter((q) => q.name.startsWith(`${parent}/queues/`));
      const { items, nextPageToken } = page(all.sort((a, b) => a.name.localeCompare(b.name)), request, 9800);
      return { queues: items.map(queueToProto), nextPageToken };
    }),
    GetQueue: unary((request: { name?: string | null }) => queueToProto(byName(request))),
    CreateQueue: unary((request: { parent?: string | null; queue?: ProtoQueue | null }) => {
      const parent = checkLocation(request.parent, 'parent');
      const queue = request.queue ?? {};
      const name = parseQueueName(queue.name, 'queue.name');
      if (name.parent !== parent) throw RpcError.invalid(`queue.name ${queue.name} is not under ${parent}`);
      return queueToProto(state.createQueue(queue.name!, name.id, configFrom(queue)));
    }),
    UpdateQueue: unary((request: { queue?: ProtoQueue | null; updateMask?: { paths?: string[] | null } | null }) => {
      const queue = request.queue ?? {};
      const name = parseQueueName(queue.name, 'queue.name');
      const existing = state.findQueue(queue.name!);
      // "This method creates the queue if it does not exist and updates the queue if it does exist."
      if (!existing) return queueToProto(state.createQueue(queue.name!, name.id, configFrom(queue)));
      const paths = request.updateMask?.paths ?? [];
      // An empty mask updates every field: those the request leaves out go back to their defaults.
      existing.setConfig(paths.length > 0 ? configUpdate(existing.config, queue, paths) : configFrom(queue));
      return queueToProto(existing);
    }),
    DeleteQueue: unary((request: { name?: string | null }) => {
      state.deleteQueue(byName(request).name);
      return {};
    }),
    PurgeQueue: unary((request: { name?: string | null }) => {
      const queue = byName(request);
      queue.removeAll();
      return queueToProto(queue);
    }),
    PauseQueue: unary((request: { name?: string | null }) => {
      const queue = byName(request);
      queue.setState('PAUSED');
      return queueToProto(queue);
    }),
    ResumeQueue: unary((request: { name?: string | null }) => {
      const queue = byName(request);
      queue.setState('RUNNING');
      return queueToProto(queue);
    }),
  };
}
