// How a writer asks the caller for results: one call per batch of rows, so the caller can read its database in batches too.

/** One appended cell: strings as text, numbers and booleans as typed cells in a workbook, null as an empty cell. */
export type AppendedValue = string | number | boolean | null;

/**
 * Returns the appended values of whichever of `rowNumbers` have results, one value per appended header, in order.
 * Rows left out of the map get empty appended cells. Row numbers are those `Table.rows()` reported.
 */
export type ResultLookup = (rowNumbers: readonly number[]) => Promise<ReadonlyMap<number, readonly AppendedValue[]>>;

export async function lookupResults(
  lookup: ResultLookup,
  rowNumbers: readonly number[],
  columnCount: number,
): Promise<ReadonlyMap<number, readonly AppendedValue[]>> {
  if (rowNumbers.length === 0) return new Map();
  const found = await lookup(rowNumbers);
  for (const rowNumber of rowNumbers) {
    const values = found.get(rowNumber);
    if (values !== undefined && values.length !== columnCount) {
      throw new Error(`lookup returned ${values.length} values for row ${rowNumber}; expected ${columnCount}, one per appended header`);
    }
  }
  return found;
}

/** Groups a stream into arrays of `size` (the last one shorter), holding one group at a time. */
export async function* inBatches<T>(items: AsyncIterable<T>, size: number): AsyncGenerator<T[]> {
  let batch: T[] = [];
  for await (const item of items) {
    batch.push(item);
    if (batch.length >= size) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}
