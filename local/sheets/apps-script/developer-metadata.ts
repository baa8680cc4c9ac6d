// DeveloperMetadata objects and the addDeveloperMetadata overloads shared by Spreadsheet, Sheet and Range.
import type { MetadataLocation } from '../developer-metadata.js';
import { enumName, enumOf, GasEnum, scalarText } from './enums.js';
import type { AppsScriptHost, MetadataInfo } from './host.js';

export const DeveloperMetadataVisibility = enumOf('DOCUMENT', 'PROJECT');
export const DeveloperMetadataLocationType = enumOf('SPREADSHEET', 'SHEET', 'ROW', 'COLUMN');

const LOCATION_TYPE = { spreadsheet: 'SPREADSHEET', sheet: 'SHEET', row: 'ROW', column: 'COLUMN' } as const;

export class DeveloperMetadataFace {
  constructor(
    private readonly host: AppsScriptHost,
    private readonly entry: MetadataInfo,
  ) {}

  getId(): number {
    return this.entry.id;
  }

  getKey(): string {
    return this.entry.key;
  }

  getValue(): string | null {
    return this.entry.value;
  }

  getVisibility(): GasEnum {
    return DeveloperMetadataVisibility[this.entry.visibility];
  }

  getLocation(): { getLocationType(): GasEnum } {
    const type = DeveloperMetadataLocationType[LOCATION_TYPE[this.entry.location.kind]];
    return { getLocationType: () => type };
  }

  remove(): void {
    this.host.sheet.removeMetadata(this.entry.id);
  }
}

/** (key) · (key, visibility) · (key, value) · (key, value, visibility); visibility defaults to DOCUMENT. */
export function addMetadata(host: AppsScriptHost, location: MetadataLocation, args: readonly unknown[]): void {
  const [key, second, third] = args;
  if (typeof key !== 'string' || key === '') throw new Error('Invalid argument: key');
  const secondIsVisibility = second instanceof GasEnum;
  const value = secondIsVisibility || second === undefined || second === null ? null : scalarText(second);
  const visibility = enumName(secondIsVisibility ? second : (third ?? 'DOCUMENT'));
  if (visibility !== 'DOCUMENT' && visibility !== 'PROJECT') throw new Error('Invalid argument: visibility');
  host.sheet.addMetadata({ key, value, visibility, location });
}

export function metadataAt(host: AppsScriptHost, matches: (location: MetadataLocation) => boolean): DeveloperMetadataFace[] {
  return host.sheet
    .listMetadata()
    .filter((m) => matches(m.location))
    .map((m) => new DeveloperMetadataFace(host, m));
}
