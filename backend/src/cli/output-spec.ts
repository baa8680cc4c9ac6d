// Parses `--output "Name[:type]=instruction"` into an output column spec.
import type { OutputSpec } from '../ports/domain.js';
import { UsageError } from './usage-error.js';

const SIMPLE_TYPES = new Set(['text', 'number', 'boolean', 'url']);

/** `Founded:number=Year the brand was founded`, `Tier:enum(Budget|Mid|Premium)=Price tier`, `Category=Main category`. */
export function parseOutputSpec(text: string): OutputSpec {
  const eq = text.indexOf('=');
  if (eq <= 0) throw new UsageError(`--output "${text}" must look like "Name=instruction" or "Name:type=instruction"`);
  const head = text.slice(0, eq).trim();
  const instruction = text.slice(eq + 1).trim();
  if (instruction === '') throw new UsageError(`--output "${text}" has an empty instruction`);
  const colon = head.lastIndexOf(':');
  const typePart = colon > 0 ? head.slice(colon + 1).trim() : '';
  const looksTyped = colon > 0 && (SIMPLE_TYPES.has(typePart) || /^enum\(.*\)$/.test(typePart));
  const name = (looksTyped ? head.slice(0, colon) : head).trim();
  if (name === '') throw new UsageError(`--output "${text}" has an empty column name`);
  if (!looksTyped) {
    if (colon > 0 && /^[a-z]+(\(.*\))?$/.test(typePart)) {
      throw new UsageError(`--output "${text}": unknown type "${typePart}" (use text, number, boolean, url or enum(a|b|c))`);
    }
    return { name, instruction, type: 'text' };
  }
  if (typePart.startsWith('enum(')) {
    const options = typePart.slice(5, -1).split('|').map((o) => o.trim()).filter((o) => o !== '');
    if (options.length < 2) throw new UsageError(`--output "${text}": enum needs at least two options, like enum(a|b)`);
    return { name, instruction, type: 'enum', options };
  }
  return { name, instruction, type: typePart as OutputSpec['type'] };
}
