// List pagination as the API does it: page_size capped, an opaque page_token that is here just the next offset.
import { RpcError } from './rpc-error.js';

export interface PageRequest {
  readonly pageSize?: number | null;
  readonly pageToken?: string | null;
}

export function page<T>(items: readonly T[], request: PageRequest, maxPageSize: number): { items: T[]; nextPageToken: string } {
  const size = request.pageSize && request.pageSize > 0 ? Math.min(request.pageSize, maxPageSize) : maxPageSize;
  const offset = request.pageToken ? Number(request.pageToken) : 0;
  if (!Number.isInteger(offset) || offset < 0) throw RpcError.invalid(`page_token ${JSON.stringify(request.pageToken)} is not one this server gave out`);
  const end = offset + size;
  return { items: items.slice(offset, end), nextPageToken: end < items.length ? String(end) : '' };
}
