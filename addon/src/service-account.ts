// Which account to share the sheet with: the script property when set, else the address the backend names in a not-shared error.

const SHARE_WITH = /share (?:it|the spreadsheet) with (\S+@\S+?) as an editor/i;

export function serviceAccountFromMessage(message: string): string | null {
  return SHARE_WITH.exec(message)?.[1] ?? null;
}
