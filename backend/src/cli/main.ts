// The `rowfill` command line: parses arguments, runs one thin command, maps errors to one clear line and an exit code.
// Each command's module is imported when that command runs: `--version`, `status` and `jobs` never load exceljs,
// openai, express or the playground (start-up time is most of a short command's time).
import { Command, CommanderError, Option } from 'commander';
import type { CliIo } from './cli-io.js';
import type { PlaygroundFlags } from './commands/playground.js';
import type { ServeFlags } from './commands/serve.js';
import type { JobFlags } from './commands/job-commands.js';
import { EXIT } from './exit-codes.js';
import type { RawJobFlags } from './job-args.js';
import { UsageError } from './usage-error.js';

const jobCommands = () => import('./commands/job-commands.js');

const ROWFILL_VERSION = '0.1.0';

const collect = (value: string, previous: string[] = []) => [...previous, value];

function jobOptions(command: Command): Command {
  return command
    .option('--input <column>', 'an input column (repeat for more)', collect)
    .option('--output <spec>', 'an output column: "Name[:type]=instruction"; type is text (default), number, boolean, url or enum(a|b|c) (repeat for more)', collect)
    .option('--model <id>', 'the model (default gpt-4.1-mini)')
    .option('--workers <n>', 'rows in flight at once, 1–50, or auto: as many as the rate limits allow (default 8)')
    .option('--mode <mode>', 'fast (default): answers as the rate limits allow; cheap: the Batch API, about half the price, answers within 24 h')
    .option('--late-rows <where>', 'cheap mode: rows an expired batch did not answer go to the next batch (batch, default) or run as fast calls at full price (fast)')
    .option('--budget <usd>', 'hard spending cap in USD')
    .option('--out <file>', 'where to write the enriched copy (default <name>.enriched.<ext>)')
    .option('--rpm <n>', "the model's requests-per-minute limit on your account")
    .option('--tpm <n>', "the model's tokens-per-minute limit on your account")
    .option('--rows <ranges>', 'only these spreadsheet rows, e.g. 2-50,70 (row 1 is the header)')
    .option('--limit <n>', 'at most this many rows')
    .option('--force', 'recompute rows even when unchanged since their last success')
    .option('--research', 'research the web for every row (search, read pages) and list the URLs each answer rests on in rowfill_sources')
    .option('--max-searches <n>', 'research mode: web searches a row may make, 1–8 (default 3)')
    .option('--max-pages <n>', 'research mode: pages a row may read, 0–4 (default 2)')
    .option('--search-rpm <n>', 'research mode: searches per minute this run sends at most (default 100)')
    .option('--overwrite', 'let an --output named like an existing column replace its cells (rows that get an answer)')
    .option('--db <path>', 'state file (default .rowfill/rowfill.db)')
    .option('--json', 'machine-readable progress and summary on stdout')
    .option('--config <file>', 'a rowfill.json holding any of these options');
}

function stateOptions(command: Command): Command {
  return command.option('--db <path>', 'state file (default .rowfill/rowfill.db)').option('--json', 'machine-readable output');
}

export function buildProgram(io: CliIo, setExit: (code: number) => void): Command {
  const program = new Command('rowfill')
    .description('Fill spreadsheet rows with AI, fast and within budget.')
    .version(ROWFILL_VERSION)
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) })
    .showHelpAfterError('(run rowfill --help for usage)');

  jobOptions(program.command('enrich').argument('<file>', 'a .csv or .xlsx file').description('enrich the rows of a CSV/XLSX file'))
    .action(async (file: string, flags: RawJobFlags) => setExit(await (await import('./commands/enrich.js')).enrichCommand(file, flags, io)));
  jobOptions(program.command('estimate').argument('<file>', 'a .csv or .xlsx file').description('row count, unchanged rows and cost range; spends nothing'))
    .action(async (file: string, flags: RawJobFlags) => setExit(await (await import('./commands/estimate.js')).estimateCommand(file, flags, io)));
  stateOptions(program.command('status').argument('[job]', 'job id (default: the latest)').description("a job's state, counts and spend"))
    .action(async (job: string | undefined, flags: JobFlags) => setExit(await (await jobCommands()).statusCommand(job, flags, io)));
  stateOptions(program.command('resume').argument('<job>').description('continue a paused or interrupted job'))
    .addOption(new Option('--budget <usd>', 'raise the budget'))
    .action(async (job: string, flags: JobFlags) => setExit(await (await jobCommands()).resumeCommand(job, flags, io)));
  stateOptions(program.command('retry-failed').argument('<job>').description("re-run only a job's failed rows"))
    .action(async (job: string, flags: JobFlags) => setExit(await (await jobCommands()).retryFailedCommand(job, flags, io)));
  stateOptions(program.command('cancel').argument('<job>').description('cancel a job; nothing further is spent'))
    .action(async (job: string, flags: JobFlags) => setExit(await (await jobCommands()).cancelCommand(job, flags, io)));
  stateOptions(program.command('jobs').description('list recent jobs'))
    .action(async (flags: JobFlags) => setExit(await (await jobCommands()).jobsCommand(flags, io)));
  program
    .command('serve')
    .description('run the backend HTTP API on 127.0.0.1 with the local Sheets stand-in (for the add-on playground)')
    .option('--port <n>', 'port to listen on (default 8080, or PORT)')
    .option('--db <path>', 'state file (default .rowfill/rowfill.db)')
    .action(async (flags: ServeFlags) => setExit(await (await import('./commands/serve.js')).serveCommand(flags, io, untilSignal())));
  program
    .command('playground')
    .description('open the add-on playground: the local backend, brands.csv in a local sheet and the real sidebar, in a browser')
    .option('--port <n>', 'port for the page on 127.0.0.1 (default 4400, or a free one when 4400 is taken; 0 for any free one)')
    .option('--dir <path>', 'state directory (default .rowfill/playground)')
    .action(async (flags: PlaygroundFlags) => setExit(await (await import('./commands/playground.js')).playgroundCommand(flags, io, untilSignal())));
  return program;
}

/** Resolves on Ctrl-C or SIGTERM, so a long-running command can close cleanly. */
function untilSignal(): Promise<void> {
  return new Promise((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
}

/** Errors that mean bad input, not a bug. Their modules were loaded by whatever threw them, so these imports cost nothing then. */
async function isInputError(error: unknown): Promise<boolean> {
  const [{ FileSheetError }, { ConfigLoadError }, { JobError }] = await Promise.all([
    import('../adapters/file-sheet/errors.js'),
    import('../config.js'),
    import('../kernel/job-errors.js'),
  ]);
  return error instanceof FileSheetError || error instanceof ConfigLoadError || error instanceof JobError;
}

/** What a CLI user can do that a sidebar user cannot, appended to an engine refusal worded for the sidebar. */
async function cliHint(error: Error): Promise<string> {
  const { UnknownPriceError } = await import('../engine/job-config.js');
  if (!(error.cause instanceof UnknownPriceError)) return '';
  return '; on the command line, add its price (USD per 1M input, cachedInput and output tokens) to ROWFILL_PRICES, or run without --budget';
}

/** Runs the CLI and returns the exit code (never calls process.exit itself, so tests can call it). */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  let code: number = EXIT.completed;
  const program = buildProgram(io, (c) => (code = c));
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return code;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : EXIT.usage;
    if (error instanceof Error && (error instanceof UsageError || (await isInputError(error)))) {
      // One line, whatever a parser or validator put in the message (JSON.parse quotes the bad text, zod lists issues per line).
      io.stderr.write(`rowfill: ${error.message.trim().split(/\s*[\r\n]+\s*/).join('; ')}${await cliHint(error)}\n`);
      return EXIT.usage;
    }
    io.stderr.write(`rowfill: unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    return EXIT.internal;
  }
}

const isMain = import.meta.url === `file://${process.argv[1]}` || process.argv[1]?.endsWith('/bin/rowfill.js');
if (isMain) {
  const code = await runCli(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, env: process.env });
  process.exitCode = code;
  // Everything is committed and closed by now; a stray handle must not keep the terminal waiting.
  setTimeout(() => process.exit(code), 200).unref();
}
