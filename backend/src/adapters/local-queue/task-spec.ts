// Checks enqueue input at the boundary, so a bad task fails the enqueue call instead of poisoning the table.
import type { TaskSpec } from '../../ports/queue.js';

const KINDS: ReadonlySet<string> = new Set(['row', 'pump']);

export function validateTaskSpecs(tasks: readonly TaskSpec[]): void {
  if (!Array.isArray(tasks)) throw new TypeError(`Expected \`tasks\` to be an array, got ${typeof tasks}`);
  tasks.forEach((task: TaskSpec, index: number) => {
    if (typeof task !== 'object' || task === null) throw new TypeError(`Expected \`tasks[${index}]\` to be an object`);
    if (typeof task.name !== 'string' || task.name.length === 0) {
      throw new TypeError(`Expected \`tasks[${index}].name\` to be a non-empty string`);
    }
    if (!KINDS.has(task.kind)) throw new TypeError(`Expected \`tasks[${index}].kind\` to be 'row' or 'pump', got \`${String(task.kind)}\``);
    if (typeof task.payload !== 'object' || task.payload === null) {
      throw new TypeError(`Expected \`tasks[${index}].payload\` to be an object`);
    }
    if (task.scheduleAt !== undefined && !(typeof task.scheduleAt === 'number' && Number.isFinite(task.scheduleAt))) {
      throw new TypeError(`Expected \`tasks[${index}].scheduleAt\` to be a finite epoch-ms number, got \`${String(task.scheduleAt)}\``);
    }
  });
}
