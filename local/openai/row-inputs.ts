// Finds a row's input values inside a chat request, the way the engine sends them: JSON between <row> tags.

/** A chat message as it arrives on the wire; content may be a string or a list of text parts. */
export interface WireMessage {
  readonly role: string;
  readonly content?: unknown;
}

/** The text of a message, whether sent as a string or as `[{ type: 'text', text }]` parts. */
export function messageText(message: WireMessage): string {
  const { content } = message;
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content
    .map((part: unknown) => (isRecord(part) && typeof part.text === 'string' ? part.text : ''))
    .join('');
}

/**
 * The row's inputs from the user messages, or null when none parse. Lenient on purpose: without the tags it takes the
 * first `{` to the last `}`, so a hand-written prompt still gets an answer that depends on its values.
 */
export function rowInputsFrom(messages: readonly WireMessage[]): Record<string, unknown> | null {
  const text = messages
    .filter((m) => m.role === 'user')
    .map(messageText)
    .join('\n');
  const tagged = /<row>([\s\S]*?)<\/row>/.exec(text);
  const body = tagged?.[1] ?? text;
  const start = body.indexOf('{');
  const end = body.lastIndexOf('}');
  if (start < 0 || end <= start) return null;
  try {
    const parsed: unknown = JSON.parse(body.slice(start, end + 1));
    return isRecord(parsed) ? parsed : null;
  } catch {
    return null;
  }
}

/** A stable key for a row: its inputs as JSON with sorted keys, so tests can count calls per row. */
export function rowKeyOf(inputs: Readonly<Record<string, unknown>>): string {
  const sorted = Object.keys(inputs)
    .sort()
    .map((key) => [key, inputs[key]] as const);
  return JSON.stringify(Object.fromEntries(sorted));
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
