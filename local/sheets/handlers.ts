// One function per supported Sheets v4 method: request JSON in, response JSON out, model edits applied all-or-nothing.
import type { sheets_v4 } from '@googleapis/sheets';
import { invalidArgument, notFound } from './api-error.js';
import { metadataJson, spreadsheetJson } from './api-json.js';
import { applyBatchUpdate } from './batch-update.js';
import { boxesForFilter, metadataForFilter } from './data-filter.js';
import type { DeveloperMetadataEntry } from './developer-metadata.js';
import type { Operation } from './routes.js';
import { applyWrite, inputOptionOf, majorDimensionOf, planWrite, readBox, renderOptionOf, type PlannedWrite } from './values.js';
import type { GridBox, Workbook } from './workbook.js';

export interface HandlerInput {
  readonly workbook: Workbook;
  readonly rootUrl: string;
  readonly query: URLSearchParams;
  readonly body: Record<string, unknown>;
  readonly param: string | undefined;
}

type Handler = (input: HandlerInput) => unknown;

/** `fields` is honoured loosely: only the top-level names it mentions are kept. */
function pruneToFields(resource: object, fields: string | null): object {
  if (!fields || fields.trim() === '' || fields.trim() === '*') return resource;
  const wanted = new Set(fields.split(',').map((f) => f.trim().split(/[.(/]/)[0]));
  return Object.fromEntries(Object.entries(resource).filter(([key]) => wanted.has(key)));
}

function filtersOf(body: Record<string, unknown>): sheets_v4.Schema$DataFilter[] {
  const filters = body.dataFilters;
  if (!Array.isArray(filters) || filters.length === 0) throw invalidArgument('Invalid dataFilters: at least one data filter is required');
  return filters as sheets_v4.Schema$DataFilter[];
}

function writeValues(input: HandlerInput, data: readonly sheets_v4.Schema$ValueRange[], option: unknown): PlannedWrite[] {
  const inputOption = inputOptionOf(option);
  // Every range is checked before any cell changes, so a bad range leaves the sheet as it was.
  const plans = data.map((d, i) => planWrite(input.workbook, input.workbook.id, d, inputOption, `data[${i}]`));
  for (const plan of plans) applyWrite(plan);
  return plans;
}

/** The requested range, or for a one-cell anchor the area its values grew to. */
function updatedBox(workbook: Workbook, data: sheets_v4.Schema$ValueRange, plan: PlannedWrite): GridBox {
  const requested = workbook.resolve(data.range ?? '');
  const anchorOnly = requested.endRow - requested.startRow === 1 && requested.endColumn - requested.startColumn === 1;
  return anchorOnly && plan.response.updatedRange ? workbook.resolve(plan.response.updatedRange) : requested;
}

const HANDLERS: Readonly<Record<Operation, Handler>> = {
  get: ({ workbook, rootUrl, query }) => pruneToFields(spreadsheetJson(workbook, rootUrl), query.get('fields')),

  batchUpdate: ({ workbook, body }) => {
    const response = applyBatchUpdate(workbook, body);
    return body.includeSpreadsheetInResponse === true ? { ...response, updatedSpreadsheet: spreadsheetJson(workbook, '') } : response;
  },

  valuesGet: ({ workbook, query, param }) =>
    readBox(workbook.resolve(param ?? ''), renderOptionOf(query.get('valueRenderOption')), majorDimensionOf(query.get('majorDimension'))),

  valuesBatchGet: ({ workbook, query }) => {
    const render = renderOptionOf(query.get('valueRenderOption'));
    const major = majorDimensionOf(query.get('majorDimension'));
    const boxes = query.getAll('ranges').map((r) => workbook.resolve(r));
    return { spreadsheetId: workbook.id, valueRanges: boxes.map((b) => readBox(b, render, major)) };
  },

  valuesBatchGetByDataFilter: ({ workbook, body }) => {
    const render = renderOptionOf(body.valueRenderOption);
    const major = majorDimensionOf(body.majorDimension);
    const valueRanges = filtersOf(body).flatMap((filter, i) =>
      boxesForFilter(workbook, filter, `data_filters[${i}]`).map((box) => ({ valueRange: readBox(box, render, major), dataFilters: [filter] })),
    );
    return { spreadsheetId: workbook.id, ...(valueRanges.length > 0 ? { valueRanges } : {}) };
  },

  valuesUpdate: (input) => {
    const body = { ...input.body, range: input.param } as sheets_v4.Schema$ValueRange;
    const [plan] = writeValues(input, [body], input.query.get('valueInputOption'));
    return plan?.response;
  },

  valuesBatchUpdate: (input) => {
    const data = input.body.data;
    if (!Array.isArray(data)) throw invalidArgument('Invalid data: expected a list of value ranges');
    const plans = writeValues(input, data as sheets_v4.Schema$ValueRange[], input.body.valueInputOption);
    const render = renderOptionOf(input.body.responseValueRenderOption);
    // As Google does: the values of each requested range after the write (cells left null included), trailing blanks cut.
    const responses = plans.map((p, i) =>
      input.body.includeValuesInResponse === true ? { ...p.response, updatedData: readBox(updatedBox(input.workbook, data[i] as sheets_v4.Schema$ValueRange, p), render, 'ROWS') } : p.response,
    );
    const sum = (f: (r: sheets_v4.Schema$UpdateValuesResponse) => number | null | undefined): number => responses.reduce((n, r) => n + (f(r) ?? 0), 0);
    const touched = plans.filter((p) => p.cells.length > 0);
    return {
      spreadsheetId: input.workbook.id,
      totalUpdatedRows: sum((r) => r.updatedRows),
      totalUpdatedColumns: sum((r) => r.updatedColumns),
      totalUpdatedCells: sum((r) => r.updatedCells),
      totalUpdatedSheets: new Set(touched.flatMap((p) => p.cells.map((c) => c.tab.sheetId))).size,
      responses,
    };
  },

  metadataSearch: ({ workbook, body }) => {
    const matched = new Map<number, { entry: DeveloperMetadataEntry; filters: sheets_v4.Schema$DataFilter[] }>();
    filtersOf(body).forEach((filter, i) => {
      for (const entry of metadataForFilter(workbook, filter, `data_filters[${i}]`)) {
        const seen = matched.get(entry.id) ?? { entry, filters: [] };
        seen.filters.push(filter);
        matched.set(entry.id, seen);
      }
    });
    const list = [...matched.values()].map((m) => ({ developerMetadata: metadataJson(m.entry), dataFilters: m.filters }));
    return list.length > 0 ? { matchedDeveloperMetadata: list } : {};
  },

  metadataGet: ({ workbook, param }) => {
    const id = Number(param);
    const entry = Number.isInteger(id) ? workbook.metadata.get(id) : undefined;
    if (!entry) throw notFound(`No developer metadata with ID ${param ?? ''} was found.`);
    return metadataJson(entry);
  },
};

export function handle(operation: Operation, input: HandlerInput): unknown {
  return HANDLERS[operation](input);
}
