// "Finish late rows fast": which queued rows of a cheap job came back from an expired batch and run as fast calls.
import type { Job, Row } from '../../ports/domain.js';

/**
 * The mark a late row carries in its error message (the store keeps a retried row's message as it keeps its class):
 * written only by the engine, it survives a restart and a retry, and needs no new field in either store.
 */
export const LATE_ROW_MARK = 'Late for its batch, finishing in fast mode: ';

/** The message an expired batch's unanswered row is sent back with, when its job finishes late rows fast. */
export const LATE_ROW_MESSAGE = `${LATE_ROW_MARK}the batch expired before this row was answered.`;

/** True for a job that finishes late rows fast. */
export function finishesLateRowsFast(job: Job): boolean {
  return job.config.mode === 'cheap' && job.config.lateRows === 'fast';
}

/** A queued row the row runner calls at full price although its job is cheap. */
export function isLateRow(job: Job, row: Row): boolean {
  return finishesLateRowsFast(job) && row.errorMessage !== null && row.errorMessage.startsWith(LATE_ROW_MARK);
}

/** A late row's retryable failure keeps the mark, so its next attempt is fast too rather than in a batch. */
export function lateRetryMessage(message: string): string {
  return message.startsWith(LATE_ROW_MARK) ? message : `${LATE_ROW_MARK}${message}`;
}
