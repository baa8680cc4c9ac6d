import { describe, expect, it } from 'vitest';
import { serverEngineOptions } from '../../../backend/src/compose/engine.js';
import { loadServerConfig } from '../../../backend/src/config.js';

describe('serverEngineOptions', () => {
  it("hands the server's caps to the engine, ROWFILL_MAX_IN_FLIGHT (an auto job's most rows in flight) among them", () => {
    const { server } = loadServerConfig({ ROWFILL_MAX_IN_FLIGHT: '300', ROWFILL_MAX_WORKERS: '20' });
    const options = serverEngineOptions(server);
    expect(options.limits).toEqual({ maxWorkers: 20, maxBudgetUsd: 10_000, maxInFlight: 300 });
    expect(options.requireBudget).toBe(true);
  });
});
