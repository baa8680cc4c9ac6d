// Test runner settings: one run for unit, contract and e2e suites, with a JSON report CI counts from.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // The build first: e2e suites spawn bin/rowfill.js, which runs the compiled dist/app.
    globalSetup: ['test/setup/build-app.ts', 'test/setup/firestore-emulator.ts'],
    reporters: process.env.ROWFILL_TEST_JSON ? ['default', ['json', { outputFile: process.env.ROWFILL_TEST_JSON }]] : ['default'],
  },
});
