// The one Store contract every adapter passes (SQLite, Firestore, …): each documented behaviour, races and crashes.
import { afterEach, beforeEach, describe } from 'vitest';
import type { HarnessContext, StoreFactory, StoreHarness } from './helpers/store-harness.js';
import { describeCacheHoldContract } from './store-cache-hold.contract.js';
import { describeConcurrencyContract } from './store-concurrency.contract.js';
import { describeJobContract } from './store-jobs.contract.js';
import { describeListingContract } from './store-listing.contract.js';
import { describeRecoveryContract } from './store-recovery.contract.js';
import { describeRowContract } from './store-rows.contract.js';

export type { StoreFactory, StoreHarness } from './helpers/store-harness.js';

/** Registers the whole Store contract for one adapter; `factory` must hand each test a fresh, empty store. */
export function describeStoreContract(name: string, factory: StoreFactory): void {
  describe(`Store contract: ${name}`, () => {
    let current: StoreHarness | undefined;
    const context: HarnessContext = {
      get harness(): StoreHarness {
        if (current === undefined) throw new Error('no store harness: used outside a test');
        return current;
      },
      get store() {
        return this.harness.store;
      },
    };
    beforeEach(async () => {
      current = await factory();
    });
    afterEach(async () => {
      const harness = current;
      current = undefined;
      await harness?.cleanup();
    });

    describeJobContract(context);
    describeRowContract(context);
    describeRecoveryContract(context);
    describeListingContract(context);
    describeConcurrencyContract(context);
    describeCacheHoldContract(context);
  });
}
