// The child side of runChild: read the input, run the case, send the result (or the error) back and exit.
export async function childMain<I, O>(run: (input: I) => Promise<O>): Promise<void> {
  const send = (message: unknown): Promise<void> =>
    new Promise((resolve) => {
      if (!process.send) throw new Error('bench children must be started by runChild (no IPC channel)');
      process.send(message, () => resolve());
    });
  try {
    const input = JSON.parse(process.argv[2] ?? 'null') as I;
    await send({ ok: true, value: await run(input) });
    process.exitCode = 0;
  } catch (error) {
    await send({ ok: false, error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
    process.exitCode = 1;
  }
  // Exiting explicitly: a lingering socket or timer must not keep a finished case alive, and --cpu-prof writes on exit.
  process.disconnect?.();
  process.exit();
}
