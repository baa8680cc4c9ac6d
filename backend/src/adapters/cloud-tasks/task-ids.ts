// Cloud Tasks task ids for our tasks: the enqueue-time checks, full names, and the ids of continuation tasks.
import type { TaskSpec } from '../../ports/queue.js';

/** Cloud Tasks allows 500 characters of [A-Za-z0-9_-]; our names keep room for a continuation suffix. */
export const MAX_TASK_NAME_LENGTH = 480;
const TASK_NAME = /^[A-Za-z0-9_-]+$/;
/** Marks a continuation id; never part of a name given to enqueue, so a continuation cannot collide with a real task. */
const CONTINUATION_MARK = '__';
const KINDS: ReadonlySet<string> = new Set(['row', 'pump']);

export function validateTaskSpecs(tasks: readonly TaskSpec[]): void {
  if (!Array.isArray(tasks)) throw new TypeError(`Expected \`tasks\` to be an array, got ${typeof tasks}`);
  tasks.forEach((task: TaskSpec, index: number) => {
    if (typeof task !== 'object' || task === null) throw new TypeError(`Expected \`tasks[${index}]\` to be an object`);
    const { name } = task;
    if (typeof name !== 'string' || name.length === 0 || name.length > MAX_TASK_NAME_LENGTH || !TASK_NAME.test(name) || name.includes(CONTINUATION_MARK)) {
      throw new TypeError(
        `Expected \`tasks[${index}].name\` to be 1 to ${MAX_TASK_NAME_LENGTH} characters of [A-Za-z0-9_-] without "${CONTINUATION_MARK}", got \`${String(name)}\``,
      );
    }
    if (!KINDS.has(task.kind)) throw new TypeError(`Expected \`tasks[${index}].kind\` to be 'row' or 'pump', got \`${String(task.kind)}\``);
    if (typeof task.payload !== 'object' || task.payload === null) throw new TypeError(`Expected \`tasks[${index}].payload\` to be an object`);
    if (task.scheduleAt !== undefined && !(typeof task.scheduleAt === 'number' && Number.isFinite(task.scheduleAt))) {
      throw new TypeError(`Expected \`tasks[${index}].scheduleAt\` to be a finite epoch-ms number, got \`${String(task.scheduleAt)}\``);
    }
  });
}

/**
 * The id of the task that carries delivery `deliveryAttempt` of `name` after a handler asked for a precise delay.
 * Derived only from the name and the delivery number, so a duplicate delivery of the same attempt makes the same id
 * and Cloud Tasks deduplicates it.
 */
export function continuationTaskId(name: string, deliveryAttempt: number): string {
  return `${name}${CONTINUATION_MARK}d${deliveryAttempt}`;
}

export function taskPath(queuePath: string, taskId: string): string {
  return `${queuePath}/tasks/${taskId}`;
}
