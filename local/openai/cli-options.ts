// Turns the standalone stand-in's command line into start options; kept apart from main.ts so it can be tested.
import { Command, InvalidArgumentError } from 'commander';
import type { OpenAiStandInOptions } from './server.js';

function number(text: string): number {
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value)) throw new InvalidArgumentError(`expected a number, got "${text}"`);
  return value;
}

function fault(text: string, previous: Record<string, number>): Record<string, number> {
  const match = /^([A-Za-z0-9]+)=(.+)$/.exec(text);
  if (!match?.[1] || match[2] === undefined) throw new InvalidArgumentError(`expected kind=probability, got "${text}"`);
  return { ...previous, [match[1]]: number(match[2]) };
}

/**
 * Options from `argv` (without the node and script entries). Throws commander's error on a bad flag; the numbers
 * themselves are validated by startOpenAiStandIn, which names the bad field.
 */
export function standInOptionsFromArgv(argv: readonly string[]): OpenAiStandInOptions {
  const program = new Command('openai-standin')
    .description('OpenAI-compatible stand-in server on 127.0.0.1 for tests, benchmarks and the no-key demo')
    .option('--port <n>', 'TCP port (0 picks a free one)', number, 0)
    .option('--rpm <n>', 'requests per minute (unlimited when absent)', number)
    .option('--tpm <n>', 'tokens per minute (unlimited when absent)', number)
    .option('--burst-seconds <n>', "bucket capacity in seconds' worth of the limit", number)
    .option('--latency-ms <n>', 'mean answer latency in ms', number)
    .option('--jitter-ms <n>', 'latency is uniform in latency ± jitter', number)
    .option('--seed <n>', 'seed for faults and latencies', number)
    .option('--hang-ms <n>', 'how long a hang fault holds the connection', number)
    .option('--reject-key <key>', 'an API key to reject with 401')
    .option('--fault <kind=p>', 'fault probability, repeatable, e.g. --fault error500=0.05', fault, {})
    .exitOverride()
    .configureOutput({ writeErr: () => undefined, writeOut: () => undefined });
  program.parse([...argv], { from: 'user' });
  const o = program.opts<{
    port: number;
    rpm?: number;
    tpm?: number;
    burstSeconds?: number;
    latencyMs?: number;
    jitterMs?: number;
    seed?: number;
    hangMs?: number;
    rejectKey?: string;
    fault: Record<string, number>;
  }>();
  return {
    port: o.port,
    rpm: o.rpm,
    tpm: o.tpm,
    burstSeconds: o.burstSeconds,
    latencyMs: o.latencyMs,
    jitterMs: o.jitterMs,
    seed: o.seed,
    hangMs: o.hangMs,
    rejectKey: o.rejectKey,
    faults: o.fault,
  };
}
