// The standalone entry: started as its own process, it prints a base URL the Tavily adapter can use at once.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { TavilySearch } from '../../../../backend/src/adapters/tavily/tavily-search.js';

const MAIN = fileURLToPath(new URL('../../../../local/search/main.ts', import.meta.url));

describe('local/search/main.ts', () => {
  it('prints its URL on the first line and answers searches there until stopped', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', MAIN, '--port', '0', '--rpm', '600'], { stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      const lines = createInterface({ input: child.stdout });
      const [url] = (await once(lines, 'line')) as [string];
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const result = await new TavilySearch({ apiKey: 'tvly-test', baseURL: url }).search({ query: 'Adidas', maxResults: 2, signal: new AbortController().signal });
      expect(result.results).toHaveLength(2);
    } finally {
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      expect((await exited)[0]).toBe(0);
    }
  });
});
