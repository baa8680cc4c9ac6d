// A domain RowSelection as Firestore `where`s: the queries that pick rows for a decision spell the decision's own selection.
import type { Query } from '@google-cloud/firestore';
import type { RowSelection } from '../../domain/row-transitions.js';

/**
 * The rows of `rows` (a job's row collection) that `selection` picks. One indexed query reads exactly the rows the
 * decision would change, not every row of the job; domain/row-transitions' unit tests check each selection against its
 * decision over every status, and the store still decides on every row it read.
 */
export function rowsSelected(rows: Query, selection: RowSelection): Query {
  const byStatus = rows.where('status', '==', selection.status);
  return selection.dispatched === undefined ? byStatus : byStatus.where('dispatched', '==', selection.dispatched);
}
