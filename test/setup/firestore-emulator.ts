// Vitest globalSetup: starts Google's Firestore emulator once per run, hands its address to the workers, stops it after.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer, connect } from 'node:net';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** `host:port` of the emulator this run started, or undefined when Firestore suites are to skip. */
    firestoreEmulatorHost: string | undefined;
  }
}

const READY_LINE = 'Dev App Server is now running';
const STARTUP_LIMIT_MS = 90_000;
const STOP_GRACE_MS = 5_000;
const LOG_TAIL_LINES = 30;

interface Emulator {
  readonly host: string;
  readonly child: ChildProcess;
}

/**
 * The emulator is started only when the run includes a Firestore contract or e2e suite (a `vitest run test/unit` stays
 * fast), and not at all when FIRESTORE_EMULATOR_HOST already points at one. Workers inherit the address through
 * process.env (set here, before the pool forks them) and through `provide`.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const preset = process.env.FIRESTORE_EMULATOR_HOST;
  if (preset) {
    project.provide('firestoreEmulatorHost', preset);
    return () => Promise.resolve();
  }
  // The run's file filters (`vitest run test/unit …`) are not public API yet; without them every file counts.
  const filters = (project.vitest as unknown as { readonly filenamePattern?: string[] }).filenamePattern ?? project.config.filters;
  const { testFiles } = await project.globTestFiles(filters);
  if (!testFiles.some((file) => /[\\/](contract|e2e)[\\/].*firestore[^\\/]*\.test\.ts$/i.test(file))) {
    project.provide('firestoreEmulatorHost', undefined);
    return () => Promise.resolve();
  }
  if (!hasGcloud()) {
    if (process.env.CI === 'true') throw new Error('Firestore emulator: `gcloud` is not on PATH, and CI may not skip the Firestore suites');
    console.warn('\n!!! Firestore emulator: `gcloud` not found on PATH — SKIPPING every Firestore suite (install the Google Cloud CLI to run them) !!!\n');
    project.provide('firestoreEmulatorHost', undefined);
    return () => Promise.resolve();
  }
  const emulator = await startWithOneRetry();
  process.env.FIRESTORE_EMULATOR_HOST = emulator.host;
  // Without it google-auth-library probes the GCE metadata server on every client and warns when it is not there.
  process.env.METADATA_SERVER_DETECTION ??= 'none';
  project.provide('firestoreEmulatorHost', emulator.host);
  // If the run is interrupted, teardown may never run: never leave a JVM behind.
  const onExit = () => killGroup(emulator.child, 'SIGKILL');
  process.once('exit', onExit);
  return async () => {
    process.off('exit', onExit);
    delete process.env.FIRESTORE_EMULATOR_HOST;
    await stop(emulator.child);
  };
}

function hasGcloud(): boolean {
  return spawnSync('gcloud', ['--version'], { stdio: 'ignore' }).status === 0;
}

/** A port found free can be taken before the emulator binds it; one retry on a fresh port covers that race. */
async function startWithOneRetry(): Promise<Emulator> {
  try {
    return await start(await freePort());
  } catch (error) {
    if (!(error instanceof PortClash)) throw error;
    return start(await freePort());
  }
}

class PortClash extends Error {}

async function start(port: number): Promise<Emulator> {
  const host = `127.0.0.1:${port}`;
  // detached: the emulator is gcloud → a shell script → java; its own process group lets teardown stop all three.
  const child = spawn('gcloud', ['emulators', 'firestore', 'start', `--host-port=${host}`, '--quiet'], { detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const log: string[] = [];
  let ready = false;
  const onData = (chunk: Buffer) => {
    for (const line of chunk.toString().split('\n')) if (line.trim() !== '') log.push(line);
    if (log.length > 500) log.splice(0, log.length - 500);
    if (log.some((line) => line.includes(READY_LINE))) ready = true;
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  let exited: number | null | undefined;
  child.once('exit', (code) => (exited = code));
  const started = Date.now();
  const deadline = started + STARTUP_LIMIT_MS;
  while (Date.now() < deadline) {
    if (exited !== undefined) {
      const tail = log.slice(-LOG_TAIL_LINES).join('\n');
      if (/address already in use|BindException|port .* (is )?(in use|taken)/i.test(tail)) throw new PortClash(`port ${port} is taken`);
      throw new Error(`Firestore emulator exited with ${String(exited)} before it was ready. Last lines:\n${tail}`);
    }
    if (ready) return { host, child };
    // Fallback when the ready line changes wording: the port answers. Not in the first seconds, when an answer would
    // more likely come from whoever else holds the port than from a JVM still starting.
    if (Date.now() - started > 10_000 && (await accepts(port))) {
      await sleep(1_000);
      if (exited === undefined) return { host, child };
    }
    await sleep(250);
  }
  await stop(child);
  throw new Error(`Firestore emulator was not ready within ${STARTUP_LIMIT_MS / 1000} s. Last lines:\n${log.slice(-LOG_TAIL_LINES).join('\n')}`);
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  killGroup(child, 'SIGTERM');
  const timer = setTimeout(() => killGroup(child, 'SIGKILL'), STOP_GRACE_MS);
  await exited;
  clearTimeout(timer);
  // gcloud can exit before its java child: make sure the whole group is gone.
  killGroup(child, 'SIGKILL');
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // The group is already gone.
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
