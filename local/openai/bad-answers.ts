// The wrong answers the `malformed` and `invalidOutput` faults send, derived from the right one so they stay deterministic.

/** The answer cut in half: no longer parseable JSON, like a model stopped mid-object. */
export function malformedContent(content: string): string {
  return content.slice(0, Math.max(1, Math.floor(content.length / 2)));
}

/**
 * Valid JSON that breaks a strict object schema three ways: the first field is missing, every other field has the
 * wrong type, and an unexpected field appears.
 */
export function invalidOutputContent(content: string): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(content);
  } catch {
    parsed = null;
  }
  const result: Record<string, unknown> = {};
  if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) {
    for (const [key, value] of Object.entries(parsed).slice(1)) result[key] = wrongTypeFor(value);
  }
  result.unexpected_field = true;
  return JSON.stringify(result);
}

function wrongTypeFor(value: unknown): unknown {
  if (typeof value === 'string') return 12345;
  if (typeof value === 'number') return 'not a number';
  if (typeof value === 'boolean') return 'maybe';
  return 'unexpected';
}
