// The gRPC status codes the adapter reacts to, read from errors the client rejects with.

export const ALREADY_EXISTS = 6;
/** Worth another try: the call may not have reached Cloud Tasks, or it was shed under load. */
const TRANSIENT: ReadonlySet<number> = new Set([4 /* DEADLINE_EXCEEDED */, 8 /* RESOURCE_EXHAUSTED */, 13 /* INTERNAL */, 14 /* UNAVAILABLE */]);

export function grpcCode(error: unknown): number | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'number' ? code : undefined;
}

export function isTransient(error: unknown): boolean {
  const code = grpcCode(error);
  return code !== undefined && TRANSIENT.has(code);
}
