// The standalone entry: started as its own process, it prints a base URL the real SDK can use at once.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import OpenAI from 'openai';

const MAIN = fileURLToPath(new URL('../../../../local/openai/main.ts', import.meta.url));

describe('local/openai/main.ts', () => {
  it('prints its URL on the first line and serves the SDK there until stopped', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', MAIN, '--port', '0', '--rpm', '600', '--latency-ms', '1'], { stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      const lines = createInterface({ input: child.stdout });
      const [url] = (await once(lines, 'line')) as [string];
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1$/);
      const model = await new OpenAI({ apiKey: 'sk-test', baseURL: url, maxRetries: 0 }).models.retrieve('gpt-4.1-mini');
      expect(model.id).toBe('gpt-4.1-mini');
    } finally {
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      expect((await exited)[0]).toBe(0);
    }
  });
});
