// Runs one bench case in its own `node --import tsx` process, so its peak RSS and CPU are that case's alone.
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export interface ChildOptions {
  /** Killed after this long: no case may hang the bench. */
  readonly timeoutMs: number;
  /** Write a V8 CPU profile of the child into this folder. */
  readonly cpuProfDir?: string | undefined;
}

/** Runs `script` (relative to bench/) with `input` as its argument; resolves with the one message it sends back. */
export function runChild<I, O>(script: string, input: I, options: ChildOptions): Promise<O> {
  const path = fileURLToPath(new URL(`../${script}`, import.meta.url));
  const execArgv = ['--import', 'tsx', ...(options.cpuProfDir ? ['--cpu-prof', `--cpu-prof-dir=${options.cpuProfDir}`] : [])];
  return new Promise<O>((resolve, reject) => {
    const child = fork(path, [JSON.stringify(input)], { execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    let result: { ok: true; value: O } | { ok: false; error: string } | undefined;
    const timer = setTimeout(() => {
      result ??= { ok: false, error: `${script} did not finish within ${Math.round(options.timeoutMs / 1000)} s` };
      child.kill('SIGKILL');
    }, options.timeoutMs);
    child.on('message', (message) => {
      result ??= message as { ok: true; value: O } | { ok: false; error: string };
    });
    child.on('error', (error) => {
      result ??= { ok: false, error: error.message };
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (result?.ok) resolve(result.value);
      else reject(new Error(result?.error ?? `${script} exited (${signal ?? code}) without a result`));
    });
  });
}
