// Names the enriched copy of a file when the user gives no output path: next to the source, same format.
import { extname } from 'node:path';

/** `data/brands.csv` → `data/brands.enriched.csv`; a file with no extension just gains `.enriched`. */
export function defaultOutPath(source: string): string {
  const ext = extname(source);
  return `${source.slice(0, source.length - ext.length)}.enriched${ext}`;
}
