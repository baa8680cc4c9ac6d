// A job's target as both stores keep it: the key jobs are listed by, and the string map (`meta`) every version wrote.
import { targetKey, type FileTarget, type JobTarget, type SheetTarget } from '../../ports/domain.js';

/**
 * The stored shape is the one written before targets were typed (`sheet_key` + `meta` in SQLite, `sheetKey` + `meta`
 * on a Firestore job document), so databases of either version open in the other, with no migration.
 */
export interface TargetRecord {
  readonly sheetKey: string;
  /** JSON of a string-to-string map. */
  readonly meta: string;
}

export function targetRecord(target: JobTarget): TargetRecord {
  return { sheetKey: targetKey(target), meta: JSON.stringify(target.kind === 'sheet' ? sheetMeta(target) : fileMeta(target)) };
}

function sheetMeta(t: SheetTarget): Record<string, string> {
  return {
    spreadsheetId: t.spreadsheetId,
    sheetId: String(t.sheetId),
    ...(t.spreadsheetTitle !== undefined ? { spreadsheetTitle: t.spreadsheetTitle } : {}),
    ...(t.sheetTitle !== undefined ? { sheetTitle: t.sheetTitle } : {}),
  };
}

function fileMeta(t: FileTarget): Record<string, string> {
  return {
    source: t.source,
    out: t.out,
    ...(t.sheet !== undefined ? { sheet: t.sheet } : {}),
    ...(t.rows !== undefined ? { rows: t.rows } : {}),
    ...(t.limit !== undefined ? { limit: String(t.limit) } : {}),
    ...(t.search !== undefined ? { search: t.search } : {}),
    ...(t.replace !== undefined ? { replace: JSON.stringify(t.replace) } : {}),
  };
}

/** The typed target again. The key's prefix says the kind; a key no version wrote is refused with what it was. */
export function targetOfRecord(record: TargetRecord): JobTarget {
  const { sheetKey } = record;
  const meta = stringMap(record.meta);
  if (sheetKey.startsWith('sheets:')) {
    // Spreadsheet ids never hold a `/`; the key is the authority for the ids, the map for the titles.
    const slash = sheetKey.lastIndexOf('/');
    const sheetId = Number(sheetKey.slice(slash + 1));
    if (slash < 'sheets:'.length || !Number.isInteger(sheetId)) throw new Error(`Unreadable sheet job target "${sheetKey}"`);
    return {
      kind: 'sheet',
      spreadsheetId: sheetKey.slice('sheets:'.length, slash),
      sheetId,
      ...(meta.spreadsheetTitle !== undefined ? { spreadsheetTitle: meta.spreadsheetTitle } : {}),
      ...(meta.sheetTitle !== undefined ? { sheetTitle: meta.sheetTitle } : {}),
    };
  }
  if (sheetKey.startsWith('file:')) {
    const limit = meta.limit !== undefined ? Number(meta.limit) : undefined;
    const replace = meta.replace !== undefined ? stringList(meta.replace) : undefined;
    const search = meta.search === 'simulated' || meta.search === 'tavily' ? meta.search : undefined;
    return {
      kind: 'file',
      source: meta.source ?? sheetKey.slice('file:'.length),
      out: meta.out ?? '',
      ...(meta.sheet !== undefined ? { sheet: meta.sheet } : {}),
      ...(meta.rows !== undefined ? { rows: meta.rows } : {}),
      ...(limit !== undefined && Number.isInteger(limit) ? { limit } : {}),
      ...(search !== undefined ? { search } : {}),
      ...(replace !== undefined ? { replace } : {}),
    };
  }
  throw new Error(`Unknown job target "${sheetKey}": expected file:… or sheets:…`);
}

function stringMap(json: string): Record<string, string | undefined> {
  const parsed: unknown = JSON.parse(json);
  const map: Record<string, string> = {};
  if (parsed && typeof parsed === 'object') for (const [key, value] of Object.entries(parsed)) if (typeof value === 'string') map[key] = value;
  return map;
}

function stringList(json: string): string[] {
  const parsed: unknown = JSON.parse(json);
  return Array.isArray(parsed) ? parsed.filter((n): n is string => typeof n === 'string') : [];
}
