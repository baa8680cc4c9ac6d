// The cheap-mode scenario (issue 13): the same job through `rowfill enrich --mode fast` and `--mode cheap` (cost per 1,000 rows, both as
// the job counts it and as the stand-in bills it), then rows packed per second and the peak memory of packing (and uploading) a large job.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startOpenAiStandIn } from '../../local/openai/server.js';
import type { PackCaseInput, PackCaseResult } from '../batch-pack/pack-child.js';
import { runChild } from '../lib/child-process.js';
import { int, megabytes, ratio, seconds } from '../lib/format.js';
import { writeInputCsv } from '../lib/input-csv.js';
import { runMode, type ModeRun } from './cli-run.js';

/** The bound for packing a 100,000-row job. */
export const PACK_PEAK_LIMIT_BYTES = 300 * 1024 ** 2;
/** The job's spend and the stand-in's bill agree when they differ by less than this (the store counts money in nanodollars). */
const AGREE_USD = 1e-6;

export interface PackRun extends PackCaseResult {
  readonly upload: boolean;
}

export interface CheapResult {
  readonly fast: ModeRun;
  readonly cheap: ModeRun;
  readonly pack: PackRun;
  readonly packUpload: PackRun;
}

export interface CheapPlan {
  /** Rows of the job run in both modes. */
  readonly rows: number;
  /** Rows of the packing cases. */
  readonly packRows: number;
}

export async function runCheap(plan: CheapPlan, progress: (line: string) => void): Promise<CheapResult> {
  const dir = mkdtempSync(join(tmpdir(), 'rowfill-bench-cheap-'));
  try {
    const csvPath = join(dir, 'input.csv');
    await writeInputCsv(csvPath, plan.rows);
    progress(`cheap: rowfill enrich --mode fast, ${int(plan.rows)} rows…`);
    const fast = await runMode('fast', csvPath, plan.rows, dir);
    progress(`cheap: rowfill enrich --mode cheap, ${int(plan.rows)} rows…`);
    const cheap = await runMode('cheap', csvPath, plan.rows, dir);
    progress(`cheap: packing ${int(plan.packRows)} rows…`);
    const pack = await packCase({ rows: plan.packRows, uploadUrl: null });
    // The stand-in keeps every upload in its memory, so it lives here and only the child that packs and uploads is measured.
    const standIn = await startOpenAiStandIn({});
    try {
      progress(`cheap: packing and uploading ${int(plan.packRows)} rows…`);
      const packUpload = await packCase({ rows: plan.packRows, uploadUrl: standIn.url });
      return { fast, cheap, pack, packUpload };
    } finally {
      await standIn.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function packCase(input: PackCaseInput): Promise<PackRun> {
  const result = await runChild<PackCaseInput, PackCaseResult>('batch-pack/pack-child.ts', input, { timeoutMs: 120_000 + input.rows * 5 });
  if (result.rows !== input.rows) throw new Error(`packing ${input.rows} rows packed ${result.rows}`);
  return { ...result, upload: input.uploadUrl !== null };
}

export function costPer1000(run: ModeRun): number {
  return (run.spentUsd / run.rows) * 1000;
}

export function agrees(run: ModeRun): boolean {
  return Math.abs(run.spentUsd - run.bill.usd) < AGREE_USD;
}

/** Cheap mode's cost per row over fast mode's, from the jobs' own spend. */
export function cheapRatio(result: CheapResult): number {
  return costPer1000(result.cheap) / costPer1000(result.fast);
}

const usd = (n: number): string => `$${n.toPrecision(4)}`;

function modeCells(run: ModeRun): string[] {
  const bill = run.bill;
  return [
    `rowfill enrich --mode ${run.mode}`,
    int(run.rows),
    seconds(run.makespanMs),
    int(run.doneRows / (run.makespanMs / 1000)),
    megabytes(run.peakRssBytes),
    usd(run.spentUsd),
    `${usd(bill.usd)} (${int(bill.fastRequests)} at standard price, ${int(bill.batchRequests)} at batch price)${agrees(run) ? '' : ' **differs**'}`,
    usd(costPer1000(run)),
    [
      `${int(run.doneRows)} rows done, from spawn to exit${run.mode === 'cheap' ? ' (a batch takes 1 s in the stand-in, up to 24 h at OpenAI)' : ''}`,
      `${int(bill.promptTokens)} prompt + ${int(bill.completionTokens)} completion tokens`,
      ...(run.mode === 'cheap' ? [`${int(run.batches)} batch${run.batches === 1 ? '' : 'es'}`] : []),
    ].join('; '),
  ];
}

function packCells(run: PackRun): string[] {
  return [
    run.upload ? 'pack + upload (stand-in in another process)' : 'pack (no upload)',
    int(run.rows),
    seconds(run.ms),
    int(run.rows / (run.ms / 1000)),
    megabytes(run.peakRssBytes),
    '—',
    '—',
    '—',
    `${int(run.files)} file${run.files === 1 ? '' : 's'}, ${int(run.bytes / 1e6)} MB of JSONL; baseline RSS ${megabytes(run.baselineRssBytes)}; peak Buffers ${megabytes(run.peakBuffersBytes)}`,
  ];
}

export function cheapTable(result: CheapResult): string {
  const headers = ['Cheap mode', 'Rows', 'Time', 'Rows/s', 'Peak RSS', "Job's spend", "Stand-in's bill", 'Cost per 1,000 rows', 'Notes'];
  const lines = [headers, headers.map(() => '---'), modeCells(result.fast), modeCells(result.cheap), packCells(result.pack), packCells(result.packUpload)];
  return lines.map((line) => `| ${line.map((c) => c.replace(/\|/g, '\\|')).join(' | ')} |`).join('\n');
}

export function cheapTargetLines(result: CheapResult): string[] {
  const r = cheapRatio(result);
  const both = agrees(result.fast) && agrees(result.cheap);
  const peak = Math.max(result.pack.peakRssBytes, result.packUpload.peakRssBytes);
  return [
    `- cheap ÷ fast cost per 1,000 rows ≈ 0.5: ${ratio(r)} (${usd(costPer1000(result.cheap))} ÷ ${usd(costPer1000(result.fast))}) — ${Math.abs(r - 0.5) < 0.01 ? 'met' : 'missed'}`,
    `- the job's spend equals the stand-in's bill in both modes: ${both ? 'met' : 'missed'}`,
    `- packing ${int(result.pack.rows)} rows peaks at ≤ 300 MB: ${megabytes(peak)} (pack + upload) — ${peak <= PACK_PEAK_LIMIT_BYTES ? 'met' : 'missed'}`,
  ];
}

export function cheapConditions(plan: CheapPlan): string {
  return (
    `- cheap: the compiled \`rowfill enrich\` from spawn to exit on the same ${int(plan.rows)}-row file (same prompt and outputs), once with \`--mode fast\` ` +
    `and once with \`--mode cheap\`, each against a fresh stand-in (no rate limits; fast answers in 50 ms ± 25 ms; a batch completes in 1 s, polled every 100 ms); ` +
    `the job's spend is the summary's \`spentUsd\`, the bill is the stand-in's log priced at standard and batch prices. ` +
    `Packing: ${int(plan.packRows)} row requests (a long system prompt and 200–500 characters of notes, heavier than the job's) made on demand and packed by ` +
    `the OpenAI batch adapter at its default limits (50,000 requests, 200,000,000 bytes a file), in a child process of its own; the upload case sends each file ` +
    `to a stand-in in the parent; peak RSS is the child's kernel high-water mark, Node and tsx included.`
  );
}
