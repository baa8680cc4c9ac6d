// Checks a header row before anything is read under it: every column needs a name, and no name may appear twice.
import { FileSheetError } from './errors.js';

/**
 * Returns the header names with trailing empty cells dropped: those come from a trailing delimiter or a formatted
 * but blank cell, not from a column someone meant to name. Names are trimmed, since " Website" and "Website" are
 * the same column to a person.
 */
export function validateHeaders(cells: readonly string[], label: string): string[] {
  const names = cells.map((cell) => cell.trim());
  while (names.length > 0 && names[names.length - 1] === '') names.pop();
  if (names.length === 0) {
    throw new FileSheetError('empty_header', `${label} has no header row: the first row must hold the column names`);
  }
  const firstSeen = new Map<string, number>();
  names.forEach((name, index) => {
    if (name === '') {
      throw new FileSheetError(
        'empty_header',
        `Column ${index + 1} in the header of ${label} has no name; name it or delete the column`,
      );
    }
    const earlier = firstSeen.get(name);
    if (earlier !== undefined) {
      throw new FileSheetError(
        'duplicate_header',
        `Column "${name}" appears twice in the header of ${label} (columns ${earlier + 1} and ${index + 1}); rename one of them`,
      );
    }
    firstSeen.set(name, index);
  });
  return names;
}
