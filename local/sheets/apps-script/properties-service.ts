// PropertiesService: document, script and user properties over the host's stores (strings only, as in Apps Script).
import type { AppsScriptHost, PropertyStore } from './host.js';

export class PropertiesFace {
  constructor(private readonly store: PropertyStore) {}

  getProperty(key: string): string | null {
    return this.store.get(String(key));
  }

  setProperty(key: string, value: unknown): PropertiesFace {
    this.store.set(String(key), String(value));
    return this;
  }

  getProperties(): Record<string, string> {
    return this.store.all();
  }

  setProperties(values: Readonly<Record<string, unknown>>, deleteAllOthers = false): PropertiesFace {
    this.store.replace(Object.fromEntries(Object.entries(values).map(([k, v]) => [k, String(v)])), deleteAllOthers);
    return this;
  }

  getKeys(): string[] {
    return Object.keys(this.store.all());
  }

  deleteProperty(key: string): PropertiesFace {
    this.store.remove(String(key));
    return this;
  }

  deleteAllProperties(): PropertiesFace {
    this.store.clear();
    return this;
  }
}

export function propertiesService(host: AppsScriptHost) {
  return {
    getDocumentProperties: () => new PropertiesFace(host.properties.document),
    getScriptProperties: () => new PropertiesFace(host.properties.script),
    getUserProperties: () => new PropertiesFace(host.properties.user),
  };
}
