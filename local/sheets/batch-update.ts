// spreadsheets.batchUpdate: applies the supported requests in order on a copy, all-or-nothing, and builds Google's replies.
import type { sheets_v4 } from '@googleapis/sheets';
import { invalidArgument, SheetsApiError } from './api-error.js';
import { dimensionOf, dimensionRangeOf, gridRangeOf, locationOf, metadataJson, sheetIdOf, visibilityOf, type DimensionSpan } from './api-json.js';
import { metadataForFilter } from './data-filter.js';
import type { SortKey } from './sort-order.js';
import type { Workbook } from './workbook.js';

const SUPPORTED = [
  'insertDimension',
  'deleteDimension',
  'appendDimension',
  'sortRange',
  'updateDimensionProperties',
  'createDeveloperMetadata',
  'deleteDeveloperMetadata',
] as const;
type Kind = (typeof SUPPORTED)[number];

function kindOf(request: sheets_v4.Schema$Request, i: number): Kind {
  const keys = request && typeof request === 'object' ? Object.keys(request).filter((k) => (request as Record<string, unknown>)[k] != null) : [];
  if (keys.length !== 1) throw invalidArgument(`Invalid requests[${i}]: exactly one kind of request must be set`);
  const kind = keys[0] as Kind;
  if (!SUPPORTED.includes(kind)) throw invalidArgument(`Invalid requests[${i}]: ${keys[0]} is not supported by the stand-in (supported: ${SUPPORTED.join(', ')})`);
  return kind;
}

function bounded(span: DimensionSpan, where: string): { start: number; end: number } {
  if (span.start === undefined || span.end === undefined) throw invalidArgument(`Invalid ${where}: both start and end indexes must be set`);
  return { start: span.start, end: span.end };
}

function applyOne(workbook: Workbook, request: sheets_v4.Schema$Request, kind: Kind): sheets_v4.Schema$Response {
  switch (kind) {
    case 'insertDimension': {
      const body = request.insertDimension ?? {};
      const span = dimensionRangeOf(body.range, 'range');
      const { start, end } = bounded(span, 'range');
      workbook.insertDimension(span.sheetId, span.dimension, start, end, body.inheritFromBefore === true);
      return {};
    }
    case 'deleteDimension': {
      const span = dimensionRangeOf(request.deleteDimension?.range, 'range');
      const count = workbook.tab(span.sheetId).count(span.dimension);
      workbook.deleteDimension(span.sheetId, span.dimension, span.start ?? 0, span.end ?? count);
      return {};
    }
    case 'appendDimension': {
      const body = request.appendDimension ?? {};
      workbook.appendDimension(sheetIdOf(body.sheetId, 'sheet_id'), dimensionOf(body.dimension, 'dimension'), body.length ?? 0);
      return {};
    }
    case 'sortRange': {
      const body = request.sortRange ?? {};
      const { sheetId, bounds } = gridRangeOf(body.range, 'range');
      const keys: SortKey[] = (body.sortSpecs ?? []).map((spec, j) => {
        if (typeof spec.dimensionIndex !== 'number') throw invalidArgument(`Invalid sort_specs[${j}]: dimensionIndex is required`);
        if (spec.sortOrder !== undefined && spec.sortOrder !== null && spec.sortOrder !== 'ASCENDING' && spec.sortOrder !== 'DESCENDING') {
          throw invalidArgument(`Invalid sort_specs[${j}].sort_order: ${spec.sortOrder}`);
        }
        return { column: spec.dimensionIndex, descending: spec.sortOrder === 'DESCENDING' };
      });
      if (keys.length === 0) throw invalidArgument('Invalid sort_specs: at least one sort spec is required');
      workbook.sortRange(sheetId, bounds, keys);
      return {};
    }
    case 'updateDimensionProperties': {
      const body = request.updateDimensionProperties ?? {};
      if (!body.fields) throw invalidArgument('At least one field must be specified in fields.');
      const span = dimensionRangeOf(body.range, 'range');
      const count = workbook.tab(span.sheetId).count(span.dimension);
      const fields = body.fields.split(',').map((f) => f.trim());
      // Only hiddenByUser changes anything here; sizes and the rest have no effect on values or metadata.
      if (fields.includes('*') || fields.includes('hiddenByUser')) {
        workbook.setHidden(span.sheetId, span.dimension, span.start ?? 0, span.end ?? count, body.properties?.hiddenByUser === true);
      }
      return {};
    }
    case 'createDeveloperMetadata': {
      const meta = request.createDeveloperMetadata?.developerMetadata;
      if (!meta) throw invalidArgument('developerMetadata is required');
      if (typeof meta.metadataKey !== 'string') throw invalidArgument('Developer metadata must have a key.');
      if (meta.metadataValue !== undefined && meta.metadataValue !== null && typeof meta.metadataValue !== 'string') {
        throw invalidArgument('metadataValue must be a string');
      }
      const entry = workbook.createMetadata({
        id: meta.metadataId ?? undefined,
        key: meta.metadataKey,
        value: meta.metadataValue ?? undefined,
        visibility: visibilityOf(meta.visibility, 'developer_metadata.visibility'),
        location: locationOf(meta.location, 'developer_metadata.location'),
      });
      return { createDeveloperMetadata: { developerMetadata: metadataJson(entry) } };
    }
    case 'deleteDeveloperMetadata': {
      const filter = request.deleteDeveloperMetadata?.dataFilter;
      if (!filter) throw invalidArgument('dataFilter is required');
      const deleted = workbook.deleteMetadata(metadataForFilter(workbook, filter, 'data_filter').map((e) => e.id));
      return { deleteDeveloperMetadata: { deletedDeveloperMetadata: deleted.map(metadataJson) } };
    }
  }
}

/** Applies every request or none: edits run on a copy that replaces the workbook only when all succeeded. */
export function applyBatchUpdate(workbook: Workbook, body: sheets_v4.Schema$BatchUpdateSpreadsheetRequest): sheets_v4.Schema$BatchUpdateSpreadsheetResponse {
  const requests = body.requests;
  if (!Array.isArray(requests)) throw invalidArgument('Invalid JSON payload: requests must be a list');
  const copy = workbook.clone();
  const replies = requests.map((request, i) => {
    const kind = kindOf(request, i);
    try {
      return applyOne(copy, request, kind);
    } catch (error) {
      if (error instanceof SheetsApiError && error.status === 'INVALID_ARGUMENT' && !error.message.startsWith('Invalid requests[')) {
        throw invalidArgument(`Invalid requests[${i}].${kind}: ${error.message}`);
      }
      throw error;
    }
  });
  workbook.adopt(copy);
  return { spreadsheetId: workbook.id, replies };
}
