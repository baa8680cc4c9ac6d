// google.script.run for the real sidebar in the playground: any function name becomes POST /rpc/<name> with JSON args.
type Handler = ((value: unknown) => void) | null;

interface RpcAnswer {
  readonly ok: boolean;
  readonly value?: unknown;
  readonly message?: string;
}

function invoke(name: string, args: unknown[], onSuccess: Handler, onFailure: Handler): void {
  fetch(`/rpc/${encodeURIComponent(name)}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(args) })
    .then((response) => response.json() as Promise<RpcAnswer>)
    .then((answer) => {
      if (answer.ok) onSuccess?.(answer.value);
      else onFailure?.(new Error(answer.message ?? `${name} failed`));
    })
    .catch((error: unknown) => onFailure?.(error instanceof Error ? error : new Error(String(error))));
}

function runner(onSuccess: Handler, onFailure: Handler): unknown {
  return new Proxy(
    {},
    {
      get(_target, property) {
        if (property === 'withSuccessHandler') return (handler: Handler) => runner(handler, onFailure);
        if (property === 'withFailureHandler') return (handler: Handler) => runner(onSuccess, handler);
        if (property === 'withUserObject') return () => runner(onSuccess, onFailure);
        // Not thenable, and no symbol lookups turned into server calls.
        if (typeof property !== 'string' || property === 'then') return undefined;
        return (...args: unknown[]) => invoke(property, args, onSuccess, onFailure);
      },
    },
  );
}

const noop = (): void => undefined;
(window as unknown as { google: unknown }).google = {
  script: { run: runner(null, null), host: { close: noop, setHeight: noop, setWidth: noop, editor: { focus: noop } } },
};
