// What a Store adapter hands the contract suite: a fresh store, optionally a second instance on the same data, and cleanup.
import type { Store } from '../../../backend/src/ports/store.js';

export interface StoreHarness {
  readonly store: Store;
  /** A second connection or instance on the same data: used for cross-instance races and crash-recovery cases. */
  reopen?(): Promise<Store>;
  /** Closes every store the harness handed out and removes its data. */
  cleanup(): Promise<void>;
}

export type StoreFactory = () => Promise<StoreHarness>;

/** The live harness of the current test, read inside `it` bodies (set by beforeEach, cleaned by afterEach). */
export interface HarnessContext {
  readonly harness: StoreHarness;
  readonly store: Store;
}
