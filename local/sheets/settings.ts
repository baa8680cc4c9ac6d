// The stand-in's tunable limits, with the checks that reject a bad value before anything listens.

export interface SheetsStandInSettings {
  /** Write requests per user per minute before 429 RESOURCE_EXHAUSTED; null = unlimited. Google's default: 60. */
  readonly writesPerMinute: number | null;
  /** Read requests per user per minute; null = unlimited (the default, so reads never get in a test's way). */
  readonly readsPerMinute: number | null;
}

export type SheetsStandInSettingsPatch = Partial<SheetsStandInSettings>;

export const DEFAULT_SETTINGS: SheetsStandInSettings = { writesPerMinute: 60, readsPerMinute: null };

function checkLimit(name: string, value: unknown): number | null {
  if (value === null) return null;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw new Error(`SheetsStandIn: ${name} must be a positive integer or null, got ${JSON.stringify(value)}`);
  }
  return value;
}

export function applySettings(base: SheetsStandInSettings, patch: SheetsStandInSettingsPatch): SheetsStandInSettings {
  return {
    writesPerMinute: patch.writesPerMinute === undefined ? base.writesPerMinute : checkLimit('writesPerMinute', patch.writesPerMinute),
    readsPerMinute: patch.readsPerMinute === undefined ? base.readsPerMinute : checkLimit('readsPerMinute', patch.readsPerMinute),
  };
}
