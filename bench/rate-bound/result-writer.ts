// Where a baseline puts its answers: a CSV appended to, counting each write call as a sheet write would be counted.
import { appendFile, writeFile } from 'node:fs/promises';
import { stringify } from 'csv-stringify/sync';
import type { RowResult } from './retry.js';

export class ResultWriter {
  calls = 0;

  private constructor(private readonly path: string) {}

  static async create(path: string): Promise<ResultWriter> {
    await writeFile(path, 'Brand,Category,Founded,error\n');
    return new ResultWriter(path);
  }

  async append(results: readonly RowResult[]): Promise<void> {
    if (results.length === 0) return;
    const records = results.map((r) => [r.inputs.Brand ?? '', cell(r.answer?.category), cell(r.answer?.founded), r.error ?? '']);
    await appendFile(this.path, stringify(records));
    this.calls++;
  }
}

function cell(value: unknown): string {
  if (value === null || value === undefined) return '';
  return typeof value === 'string' ? value : JSON.stringify(value);
}
