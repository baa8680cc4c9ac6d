// An in-memory property store with Apps Script's limits, so settings that would not fit in production fail here too.
import type { PropertyStore } from './host.js';

/** Apps Script: 9 KB per value, 500 KB per store. */
export const PROPERTY_VALUE_LIMIT = 9 * 1024;
export const PROPERTY_STORE_LIMIT = 500 * 1024;

export class MemoryPropertyStore implements PropertyStore {
  private readonly values = new Map<string, string>();

  constructor(initial: Readonly<Record<string, string>> = {}) {
    for (const [k, v] of Object.entries(initial)) this.values.set(k, String(v));
  }

  get(key: string): string | null {
    return this.values.get(key) ?? null;
  }

  set(key: string, value: string): void {
    if (Buffer.byteLength(value, 'utf8') > PROPERTY_VALUE_LIMIT) throw new Error(`Argument too large: value (${key})`);
    const before = this.values.get(key);
    this.values.set(key, value);
    if (this.size() > PROPERTY_STORE_LIMIT) {
      if (before === undefined) this.values.delete(key);
      else this.values.set(key, before);
      throw new Error('You have exceeded the property storage quota. Please remove some properties and try again.');
    }
  }

  remove(key: string): void {
    this.values.delete(key);
  }

  all(): Record<string, string> {
    return Object.fromEntries(this.values);
  }

  replace(values: Readonly<Record<string, string>>, deleteOthers: boolean): void {
    if (deleteOthers) this.values.clear();
    for (const [k, v] of Object.entries(values)) this.set(k, String(v));
  }

  clear(): void {
    this.values.clear();
  }

  private size(): number {
    let total = 0;
    for (const [k, v] of this.values) total += Buffer.byteLength(k, 'utf8') + Buffer.byteLength(v, 'utf8');
    return total;
  }
}
