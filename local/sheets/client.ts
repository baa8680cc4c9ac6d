// A real @googleapis/sheets client aimed at the stand-in: `rootUrl` replaces sheets.googleapis.com, a bearer token names the user.
import { auth, sheets, type sheets_v4 } from '@googleapis/sheets';

export interface StandInClientOptions {
  /** The stand-in's root URL (`SheetsStandIn.url`), ending in `/`. */
  readonly url: string;
  /** Sent as `Authorization: Bearer <token>`; the stand-in treats it as the user's identity. */
  readonly token: string;
}

/**
 * googleapis-common rewrites each method's URL onto `rootUrl` and hands the request to the auth client, so an
 * OAuth2 client holding a fixed access token (no expiry, no refresh token) adds the header and nothing else.
 */
export function standInSheetsClient(options: StandInClientOptions): sheets_v4.Sheets {
  if (!/^http:\/\/127\.0\.0\.1:\d+\/$/.test(options.url)) {
    throw new Error(`standInSheetsClient: url must be a loopback root URL like http://127.0.0.1:1234/, got ${JSON.stringify(options.url)}`);
  }
  if (typeof options.token !== 'string' || options.token === '') throw new Error('standInSheetsClient: token must be a non-empty string');
  const client = new auth.OAuth2();
  client.setCredentials({ access_token: options.token });
  return sheets({ version: 'v4', rootUrl: options.url, auth: client });
}
