// Apps Script enums: objects that print as their name, compared by identity (`response === ui.Button.OK`).

export class GasEnum {
  constructor(private readonly label: string) {}

  name(): string {
    return this.label;
  }

  toString(): string {
    return this.label;
  }

  toJSON(): string {
    return this.label;
  }
}

export function enumOf<const K extends string>(...names: readonly K[]): Readonly<Record<K, GasEnum>> {
  return Object.freeze(Object.fromEntries(names.map((n) => [n, new GasEnum(n)]))) as Record<K, GasEnum>;
}

/** An enum argument's name, whether the caller passed the enum object or its name. */
export function enumName(value: unknown): string {
  return value instanceof GasEnum ? value.name() : String(value);
}

/** How Apps Script turns an argument into text: strings as they are, other scalars printed, objects as JSON. */
export function scalarText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  if (value instanceof GasEnum) return value.name();
  return JSON.stringify(value) ?? '';
}
