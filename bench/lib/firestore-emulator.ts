// Starts Google's Firestore emulator (`gcloud emulators firestore start`) on a free loopback port for a bench run, and stops it.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { freePort } from './free-port.js';

const READY_LINE = 'Dev App Server is now running';
const STARTUP_LIMIT_MS = 120_000;

export interface BenchEmulator {
  /** `127.0.0.1:<port>`, for FIRESTORE_EMULATOR_HOST or the client's `host`. */
  readonly host: string;
  stop(): Promise<void>;
}

/** Whether the Google Cloud CLI (which ships the emulator) is on PATH. */
export function hasGcloud(): boolean {
  return spawnSync('gcloud', ['--version'], { stdio: 'ignore' }).status === 0;
}


function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
}

/** As test/setup/firestore-emulator.ts does: its own process group (gcloud → shell → java), ready when it says so. */
export async function startFirestoreEmulator(): Promise<BenchEmulator> {
  const host = `127.0.0.1:${await freePort()}`;
  const child = spawn('gcloud', ['emulators', 'firestore', 'start', `--host-port=${host}`, '--quiet'], { detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const tail: string[] = [];
  let ready = false;
  const onData = (chunk: Buffer): void => {
    for (const line of chunk.toString().split('\n')) if (line.trim() !== '') tail.push(line);
    tail.splice(0, Math.max(0, tail.length - 30));
    if (chunk.toString().includes(READY_LINE)) ready = true;
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  let exited = false;
  child.once('exit', () => (exited = true));
  // Never leave a JVM behind, even when the bench is interrupted.
  const onExit = (): void => killGroup(child, 'SIGKILL');
  const onSignal = (signal: NodeJS.Signals): void => {
    onExit();
    process.kill(process.pid, signal);
  };
  process.once('exit', onExit);
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const stop = async (): Promise<void> => {
    process.off('exit', onExit);
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    if (exited) return;
    const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    killGroup(child, 'SIGTERM');
    const timer = setTimeout(() => killGroup(child, 'SIGKILL'), 5000);
    await gone;
    clearTimeout(timer);
    killGroup(child, 'SIGKILL');
  };
  const deadline = Date.now() + STARTUP_LIMIT_MS;
  while (!ready) {
    if (exited) throw new Error(`the Firestore emulator exited before it was ready:\n${tail.join('\n')}`);
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`the Firestore emulator was not ready within ${STARTUP_LIMIT_MS / 1000} s:\n${tail.join('\n')}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return { host, stop };
}
