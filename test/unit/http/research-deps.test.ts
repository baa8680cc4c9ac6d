// The deployed backend's research wiring: Tavily and the public-web page reader with a key, nothing without one.
import { describe, expect, it } from 'vitest';
import { TavilySearch } from '../../../backend/src/adapters/tavily/tavily-search.js';
import { PageRefusedError } from '../../../backend/src/kernel/errors.js';
import { researchDeps } from '../../../backend/src/compose/research-deps.js';

describe('researchDeps', () => {
  it('is undefined without TAVILY_API_KEY, so the backend refuses research jobs instead of failing their rows', () => {
    expect(researchDeps({ tavilyApiKey: undefined, tavilyBaseUrl: undefined, searchRpm: 100 })).toBeUndefined();
  });

  it('searches Tavily (or TAVILY_BASE_URL) for real, and reads only the public web: loopback and metadata are refused before any connection', async () => {
    const deps = researchDeps({ tavilyApiKey: 'tvly-abc', tavilyBaseUrl: 'https://search.example.com', searchRpm: 40 });
    expect(deps?.search).toBeInstanceOf(TavilySearch);
    expect(deps?.search.simulated).toBe(false);
    expect((deps?.search as TavilySearch).baseURL).toBe('https://search.example.com');
    for (const url of ['http://127.0.0.1:9/', 'http://169.254.169.254/latest/meta-data/', 'http://[::1]/']) {
      await expect(deps!.pages.open({ url, signal: AbortSignal.timeout(5000) })).rejects.toBeInstanceOf(PageRefusedError);
    }
  });
});
