// The task methods of the CloudTasks service: create (with name dedup), get, list, delete.
import type { UntypedServiceImplementation } from '@grpc/grpc-js';
import { taskFromRequest, type CreateTaskLimits, type ProtoTask } from './create-task.js';
import { parseQueueName, parseTaskName } from './names.js';
import { page, type PageRequest } from './paging.js';
import type { StandInState } from './standin-state.js';
import { taskToProto, viewOf } from './task-view.js';
import { unary } from './unary.js';

export function taskRpcs(state: StandInState, limits: CreateTaskLimits): UntypedServiceImplementation {
  return {
    CreateTask: unary((request: { parent?: string | null; task?: ProtoTask | null; responseView?: string | null }) => {
      const task = taskFromRequest(request.parent, request.task, Date.now(), state.nextSeq(), limits);
      return taskToProto(state.createTask(task), viewOf(request.responseView));
    }),
    GetTask: unary((request: { name?: string | null; responseView?: string | null }) => {
      const name = parseTaskName(request.name, 'name');
      return taskToProto(state.task(request.name!, name.queue), viewOf(request.responseView));
    }),
    ListTasks: unary((request: PageRequest & { parent?: string | null; responseView?: string | null }) => {
      parseQueueName(request.parent, 'parent');
      const view = viewOf(request.responseView);
      const { items, nextPageToken } = page(state.queue(request.parent!).list(), request, 1000);
      return { tasks: items.map((t) => taskToProto(t, view)), nextPageToken };
    }),
    DeleteTask: unary((request: { name?: string | null }) => {
      const name = parseTaskName(request.name, 'name');
      state.task(request.name!, name.queue);
      state.queue(name.queue).remove(request.name!);
      return {};
    }),
  };
}
