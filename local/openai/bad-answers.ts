// The wrong answers the stand-in's answer faults send, derived from the right one so they stay deterministic.

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

/** The settings the body faults read. */
export interface BodyFaultSettings {
  readonly overUsageTokens: number;
  readonly hugeAnswerBytes: number;
}

/**
 * A 200 body broken by `overUsage`, `hugeAnswer` or `emptyChoices` (any other fault leaves it as it is), and the
 * completion tokens its usage now reports, for the request log.
 */
export function withBodyFault(fault: string | null, body: Record<string, unknown>, settings: BodyFaultSettings): { body: Record<string, unknown>; completionTokens: number | undefined } {
  const usage = body.usage as { prompt_tokens: number; completion_tokens: number; total_tokens: number };
  switch (fault) {
    case 'overUsage': {
      const completionTokens = settings.overUsageTokens;
      return { body: { ...body, usage: { ...usage, completion_tokens: completionTokens, total_tokens: usage.prompt_tokens + completionTokens } }, completionTokens };
    }
    case 'hugeAnswer': {
      const choices = body.choices as Array<{ message: { content: string | null } }>;
      const first = choices[0]!;
      const content = (first.message.content ?? '').padEnd(settings.hugeAnswerBytes, ' ');
      return { body: { ...body, choices: [{ ...first, message: { ...first.message, content } }, ...choices.slice(1)] }, completionTokens: undefined };
    }
    case 'emptyChoices':
      return { body: { ...body, choices: [] }, completionTokens: undefined };
    default:
      return { body, completionTokens: undefined };
  }
}
