// What Firestore suites ask to learn whether the emulator is up: its address, or undefined (then they skip).
import { inject } from 'vitest';

/** Use as `describe.skipIf(!firestoreEmulatorHost())`. Reads what the globalSetup provided, else the environment. */
export function firestoreEmulatorHost(): string | undefined {
  return inject('firestoreEmulatorHost') ?? (process.env.FIRESTORE_EMULATOR_HOST || undefined);
}
