// A job whose process died while its rows were being stored (`preparing`): read the same rows again and store the rest.
import type { Job } from '../ports/domain.js';
import type { CliIo } from './cli-io.js';
import type { EmbeddedRuntime } from './embedded-runtime.js';
import { openFileSource } from './file-job.js';
import { ALL_ROWS, parseRowSelection } from './row-selection.js';
import { UsageError } from './usage-error.js';

/**
 * Nothing has run or been spent while a job prepares, so finishing its intake is safe: the file is read again with the
 * job's own selection and limit, and the engine stores only the rows after those already stored.
 */
export async function finishFileIntake(runtime: EmbeddedRuntime, job: Job, io: CliIo, json: boolean): Promise<Job> {
  const target = job.target.kind === 'file' ? job.target : undefined;
  if (!target) {
    throw new UsageError(`Job ${job.id} was interrupted before all its rows were stored, and was not started from a file; cancel it (rowfill cancel ${job.id}) and start it again.`);
  }
  const stored = (await runtime.store.counts(job.id)).total;
  if (!json) io.stderr.write(`Job ${job.id} was interrupted while its rows were being read (${stored} stored); reading the rest from ${target.source}.\n`);
  const file = await openFileSource(target.source, job.config.inputs, []);
  const selection = target.rows ? parseRowSelection(target.rows) : ALL_ROWS;
  return runtime.engine.finishIntake(job.id, file.rows(selection, target.limit));
}
