// ScriptApp and Session: the identity token the backend checks, and who the user is.
import { createHash } from 'node:crypto';
import { enumOf } from './enums.js';
import type { AppsScriptHost } from './host.js';

export function scriptApp(host: AppsScriptHost) {
  return {
    AuthMode: enumOf('NONE', 'CUSTOM_FUNCTION', 'LIMITED', 'FULL'),
    /** An OpenID token for the user; locally the host supplies it (the local backend accepts its local token). */
    getIdentityToken: (): string | null => host.identityToken(),
    getScriptId: (): string => 'rowfill-local-script',
  };
}

export function session(host: AppsScriptHost) {
  const user = { getEmail: () => host.activeUser() };
  return {
    getActiveUser: () => user,
    getEffectiveUser: () => user,
    getActiveUserLocale: (): string => 'en',
    getScriptTimeZone: (): string => 'Etc/UTC',
    getTemporaryActiveUserKey: (): string => createHash('sha256').update(host.activeUser()).digest('base64url'),
  };
}
