// The globals a compiled add-on sees in its vm context: the Apps Script services over one host.
import { format } from 'node:util';
import type { AppsScriptHost } from './host.js';
import { htmlService } from './html-service.js';
import { propertiesService } from './properties-service.js';
import { scriptApp, session } from './script-app.js';
import { spreadsheetApp } from './spreadsheet-app.js';
import { urlFetchApp } from './url-fetch-app.js';
import { utilities } from './utilities.js';

export function appsScriptGlobals(host: AppsScriptHost): Record<string, unknown> {
  const log = (...args: unknown[]) => host.log(format(...args));
  return {
    SpreadsheetApp: spreadsheetApp(host),
    PropertiesService: propertiesService(host),
    UrlFetchApp: urlFetchApp(host),
    HtmlService: htmlService(host),
    ScriptApp: scriptApp(host),
    Session: session(host),
    Utilities: utilities(),
    Logger: {
      log: (...args: unknown[]) => {
        log(...args);
        return undefined;
      },
    },
    console: { log, info: log, warn: log, error: log },
  };
}
