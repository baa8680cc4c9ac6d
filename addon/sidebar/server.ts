// google.script.run as promises, typed by the sidebar contract; the playground swaps in its own `google.script.run` shim.
import type { SidebarApi } from '../src/sidebar-api.js';

interface ScriptRunner {
  withSuccessHandler(handler: (value: unknown) => void): ScriptRunner;
  withFailureHandler(handler: (error: unknown) => void): ScriptRunner;
}

declare const google: { readonly script: { readonly run: ScriptRunner } };

export type ServerCall = <K extends keyof SidebarApi>(name: K, ...args: Parameters<SidebarApi[K]>) => Promise<ReturnType<SidebarApi[K]>>;

export const callServer: ServerCall = (name, ...args) =>
  new Promise((resolve, reject) => {
    const runner = google.script.run.withSuccessHandler((value) => resolve(value as never)).withFailureHandler(reject);
    const fn = (runner as unknown as Record<string, (...a: unknown[]) => void>)[name];
    if (typeof fn !== 'function') {
      reject(new Error(`The add-on has no server function ${name}.`));
      return;
    }
    fn.apply(runner, args);
  });

/** google.script.run rejects with an Error or a bare string, depending on what was thrown. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
