// Standalone entry: `npx tsx local/openai/main.ts --port 8787 --rpm 600 ...` starts the stand-in and prints its URL.
import { standInOptionsFromArgv } from './cli-options.js';
import { startOpenAiStandIn } from './server.js';

async function main(): Promise<void> {
  const standIn = await startOpenAiStandIn(standInOptionsFromArgv(process.argv.slice(2)));
  // The URL alone on stdout, so a parent process can read the first line and use it as OPENAI_BASE_URL.
  process.stdout.write(`${standIn.url}\n`);
  const stop = (): void => {
    void standIn.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`openai-standin: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
