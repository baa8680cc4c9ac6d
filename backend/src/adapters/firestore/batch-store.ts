// The BatchStore port on Firestore: batch records beside the job's rows, claims applied chunk by chunk (claim-batch.ts).
import type { BatchPatch, BatchRecord, BatchRowEntry, BatchStore, ClaimBatchRequest, ClaimBatchResult } from '../../ports/batch-store.js';
import { checkBatchPatch } from '../../domain/store-arguments.js';
import { batchRef, batchRows, getBatch, listBatches, listOpenBatches, recordOf } from './batch-records.js';
import { claimBatch } from './claim-batch.js';
import { StoreContext } from './context.js';
import type { FirestoreStoreOptions } from './options.js';
import { resolveFirestoreStoreOptions } from './options.js';

/**
 * Opened with the same options as the FirestoreStore whose rows it claims (same client and root). It keeps its own
 * step context: its commits are pinned like the store's, so the two never need to share a cache or turns.
 */
export class FirestoreBatchStore implements BatchStore {
  private readonly ctx: StoreContext;

  constructor(options: FirestoreStoreOptions) {
    this.ctx = new StoreContext(resolveFirestoreStoreOptions(options));
  }

  async claimBatch(request: ClaimBatchRequest): Promise<ClaimBatchResult> {
    return claimBatch(this.ctx, request);
  }

  async updateBatch(jobId: string, seq: number, patch: BatchPatch, now: number): Promise<BatchRecord | undefined> {
    checkBatchPatch(patch, now);
    const ref = batchRef(this.ctx.layout, jobId, seq);
    const written = await this.ctx.occ('updateBatch', async (attempt) => {
      const [snapshot] = await attempt.getAll([ref]);
      if (!snapshot!.exists) return false;
      const changes: Record<string, unknown> = { updatedAt: now };
      for (const [field, value] of Object.entries(patch)) if (value !== undefined) changes[field] = value;
      if (patch.phase !== undefined) changes.open = patch.phase !== 'applied';
      attempt.update(ref, changes);
      return true;
    });
    return written ? recordOf(this.ctx.layout, await ref.get()) : undefined;
  }

  async getBatch(jobId: string, seq: number): Promise<BatchRecord | undefined> {
    return getBatch(this.ctx.layout, jobId, seq);
  }

  async listBatches(jobId: string, filter: { readonly open?: boolean } = {}): Promise<BatchRecord[]> {
    return listBatches(this.ctx.layout, jobId, filter.open === true);
  }

  async listOpenBatches(): Promise<BatchRecord[]> {
    return listOpenBatches(this.ctx.layout);
  }

  async batchRows(jobId: string, seq: number): Promise<BatchRowEntry[]> {
    return batchRows(this.ctx.layout, jobId, seq);
  }
}
