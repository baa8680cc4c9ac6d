// The embedded engine's search and pages: nothing starts until a research row searches, and close stops what started.
import { afterAll, describe, expect, it } from 'vitest';
import { LazyResearch } from '../../../backend/src/cli/lazy-research.js';

const opened: LazyResearch[] = [];
afterAll(async () => {
  await Promise.all(opened.map((r) => r.close()));
});

describe('LazyResearch', () => {
  it('starts the local stand-in at the first search, labelled simulated, and reads its pages', async () => {
    const research = new LazyResearch({ standIn: { latencyMs: 0 } });
    opened.push(research);
    expect(research.simulated).toBe(true);
    expect(research.started).toBe(false);

    const found = await research.search({ query: 'Patagonia official site', maxResults: 5, signal: AbortSignal.timeout(10_000) });

    expect(research.started).toBe(true);
    expect(found.results.length).toBeGreaterThan(0);
    const page = await research.open({ url: found.results[0]!.url, signal: AbortSignal.timeout(10_000) });
    expect(page.text).not.toBe('');
    const wiring = await research.start();
    expect(wiring.standIn?.usage.searches).toBe(1);
    await research.close();
    await expect(research.search({ query: 'x', maxResults: 1, signal: AbortSignal.timeout(1000) })).rejects.toThrow('already closed');
  });

  it('with a key, results are not simulated and nothing starts until used', async () => {
    const research = new LazyResearch({ tavilyApiKey: 'tvly-test', tavilyBaseUrl: 'http://127.0.0.1:9' });
    opened.push(research);
    expect(research.simulated).toBe(false);
    expect(research.started).toBe(false);
    await research.close();
  });
});
