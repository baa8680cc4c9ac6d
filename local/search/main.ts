// Standalone entry: `npx tsx local/search/main.ts [--port N] [--rpm N] [--latency-ms N] [--seed N]` prints its URL.
import { parseArgs } from 'node:util';
import { startSearchStandIn } from './server.js';

function numberFlag(values: Record<string, string | boolean | undefined>, name: string): number | undefined {
  const text = values[name];
  if (text === undefined || typeof text !== 'string') return undefined;
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value)) throw new Error(`--${name} expects a number, got "${text}"`);
  return value;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    args: process.argv.slice(2),
    options: { port: { type: 'string' }, rpm: { type: 'string' }, 'latency-ms': { type: 'string' }, 'page-latency-ms': { type: 'string' }, seed: { type: 'string' } },
  });
  const standIn = await startSearchStandIn({
    port: numberFlag(values, 'port') ?? 0,
    rpm: numberFlag(values, 'rpm'),
    latencyMs: numberFlag(values, 'latency-ms'),
    pageLatencyMs: numberFlag(values, 'page-latency-ms'),
    seed: numberFlag(values, 'seed'),
  });
  // The URL alone on stdout, so a parent process can read the first line and use it as TAVILY_BASE_URL.
  process.stdout.write(`${standIn.url}\n`);
  const stop = (): void => {
    void standIn.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`search-standin: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
