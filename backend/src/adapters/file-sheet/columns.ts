// Finds the columns a user named (e.g. --input Website) in a file's header, or says exactly which name is wrong.
import { FileSheetError } from './errors.js';

/**
 * Returns the 0-based index of each name. An exact match wins; otherwise a unique match ignoring case and
 * surrounding spaces is accepted, since "website" plainly means "Website" on a command line.
 */
export function resolveColumns(headers: readonly string[], names: readonly string[], fileLabel: string): number[] {
  return names.map((name) => {
    const exact = headers.indexOf(name);
    if (exact !== -1) return exact;
    const wanted = name.trim().toLowerCase();
    const loose = headers.flatMap((header, index) => (header.trim().toLowerCase() === wanted ? [index] : []));
    if (loose.length === 1 && loose[0] !== undefined) return loose[0];
    throw new FileSheetError(
      'unknown_column',
      `Column "${name}" not found in ${fileLabel}. Columns: ${headers.join(', ')}`,
    );
  });
}
