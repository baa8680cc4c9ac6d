// Runs compiled add-on code (dist/addon/Code.js) in a vm context, and calls its top-level functions as google.script.run would.
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';

export const DEFAULT_CODE_PATH = resolve(dirname(fileURLToPath(import.meta.url)), '../../../dist/addon/Code.js');

export function loadAddon(context: vm.Context, codePath: string = DEFAULT_CODE_PATH): void {
  vm.runInContext(readFileSync(codePath, 'utf8'), context, { filename: codePath });
}

/**
 * google.script.run passes only JSON-like values (no functions, no undefined in objects, Dates not preserved); sending
 * arguments and results through JSON keeps local runs as strict as the real thing.
 */
export function overTheWire<T>(value: T): T {
  return value === undefined ? value : (JSON.parse(JSON.stringify(value)) as T);
}

export function callAddon(context: vm.Context, name: string, args: readonly unknown[]): unknown {
  const fn: unknown = (context as Record<string, unknown>)[name];
  if (typeof fn !== 'function') throw new Error(`Script function not found: ${name}`);
  return overTheWire((fn as (...a: unknown[]) => unknown)(...overTheWire(args)));
}
