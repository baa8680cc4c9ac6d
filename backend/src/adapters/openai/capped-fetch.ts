// A fetch for the SDK that stops reading a response past a size cap, so a runaway answer is refused before it is held or stored.

/** Thrown (as the body's stream error) when a response is larger than the cap; openai-errors.ts classifies it. */
export class ResponseTooLarge extends Error {
  constructor(readonly maxBytes: number) {
    super(`the response was larger than ${formatBytes(maxBytes)}`);
    this.name = 'ResponseTooLarge';
  }
}

/** 1,000,000 → `1 MB`, 100,000 → `100 KB`. */
export function formatBytes(bytes: number): string {
  if (bytes >= 1_000_000) return `${+(bytes / 1_000_000).toFixed(1)} MB`;
  if (bytes >= 1_000) return `${+(bytes / 1_000).toFixed(1)} KB`;
  return `${bytes} bytes`;
}

/**
 * `inner` with every response body limited to `maxBytes`: a declared Content-Length over the cap is refused at once;
 * otherwise the body is counted as it streams and errors with ResponseTooLarge at the first byte past the cap, after
 * cancelling the rest (the connection is dropped instead of draining megabytes nobody will read).
 */
export function cappedFetch(maxBytes: number, inner: typeof fetch = fetch): typeof fetch {
  return async (input, init) => {
    const response = await inner(input, init);
    const declared = Number(response.headers.get('content-length') ?? Number.NaN);
    if (Number.isFinite(declared) && declared > maxBytes) {
      await response.body?.cancel().catch(() => undefined);
      throw new ResponseTooLarge(maxBytes);
    }
    if (!response.body) return response;
    let seen = 0;
    const limit = new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        seen += chunk.byteLength;
        if (seen > maxBytes) controller.error(new ResponseTooLarge(maxBytes));
        else controller.enqueue(chunk);
      },
    });
    return new Response(response.body.pipeThrough(limit), { status: response.status, statusText: response.statusText, headers: response.headers });
  };
}
