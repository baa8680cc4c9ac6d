// Starts the OpenAI-compatible stand-in on 127.0.0.1: the /v1 routes the engine uses plus /_standin admin routes.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { routeBatchApi } from './batch-routes.js';
import { handleUploadFile } from './files.js';
import { handleConfigure, handleReadConfig, handleReadLog, handleResetLog } from './admin.js';
import { handleChatCompletion } from './chat-completions.js';
import { readBody, sendOpenAiError } from './http-io.js';
import { handleListModels, handleRetrieveModel } from './models.js';
import type { BatchTokenStats } from './batch-store.js';
import type { RequestLogEntry } from './request-log.js';
import { applySettings, DEFAULT_SETTINGS, type StandInSettings, type StandInSettingsPatch } from './settings.js';
import { StandInState } from './state.js';

export interface OpenAiStandInOptions extends StandInSettingsPatch {
  /** TCP port on 127.0.0.1; default 0 picks a free one (read it from `url`). */
  readonly port?: number;
}

export interface OpenAiStandIn {
  /** Base URL ending in `/v1`, ready for the SDK's `baseURL`. */
  readonly url: string;
  readonly port: number;
  /** Live, read-only view of the log: entries appear as outcomes become final, in arrival order of their outcome. */
  readonly requestLog: readonly RequestLogEntry[];
  readonly settings: StandInSettings;
  /** Changes settings at runtime (validated; throws on a bad field). Limits restart full when rpm/tpm/burstSeconds are named. */
  configure(patch: StandInSettingsPatch): StandInSettings;
  /** Clears the log, and the Batch API's token peaks and refusals (`batchTokens`). */
  resetLog(): void;
  /** A model's prompt tokens waiting in accepted batches now, the most at once, and batches refused for the limit. */
  batchTokens(model: string): BatchTokenStats;
  /** Stops listening, cancels pending answers and hangs, and drops every open connection. */
  close(): Promise<void>;
}

export async function startOpenAiStandIn(options: OpenAiStandInOptions = {}): Promise<OpenAiStandIn> {
  const { port = 0, ...patch } = options;
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new Error(`OpenAiStandIn: port must be an integer from 0 to 65535, got ${JSON.stringify(port)}`);
  }
  const state = new StandInState(applySettings(DEFAULT_SETTINGS, patch));
  const server = createServer({ requestTimeout: 0 }, (req, res) => route(state, req, res));
  // Longer than clients' idle timeouts, so a reused connection is never closed under a request in flight.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: '127.0.0.1', port, backlog: 4096 }, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const boundPort = (server.address() as AddressInfo).port;
  let closing: Promise<void> | null = null;
  return {
    url: `http://127.0.0.1:${boundPort}/v1`,
    port: boundPort,
    requestLog: state.log.entries,
    get settings() {
      return state.settings;
    },
    configure: (settingsPatch) => state.configure(settingsPatch),
    resetLog: () => {
      state.log.clear();
      state.batches.resetStats();
    },
    batchTokens: (model) => state.batches.tokenStats(model),
    close: () => {
      closing ??= new Promise<void>((resolve) => {
        state.cancelAll();
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closing;
    },
  };
}

function route(state: StandInState, req: IncomingMessage, res: ServerResponse): void {
  const path = (req.url ?? '/').split('?')[0] ?? '/';
  const method = req.method ?? 'GET';
  // A batch input file may be 200 MB: the upload reads its own body, past the JSON routes' cap.
  if (method === 'POST' && path === '/v1/files') return handleUploadFile(state, req, res);
  if (method === 'POST' || method === 'DELETE') {
    readBody(req, (body) => {
      if (!body.ok) {
        if (body.reason === 'too_large') sendOpenAiError(res, 413, { message: 'Request body too large', type: 'invalid_request_error', code: null });
        return;
      }
      routeWithBody(state, req, res, method, path, body.text);
    });
    return;
  }
  req.resume();
  routeWithBody(state, req, res, method, path, '');
}

function routeWithBody(state: StandInState, req: IncomingMessage, res: ServerResponse, method: string, path: string, body: string): void {
  const key = `${method} ${path}`;
  if (key === 'POST /v1/chat/completions') return handleChatCompletion(state, req, res, body);
  if (key === 'GET /v1/models') return handleListModels(state, req, res);
  if (method === 'GET' && path.startsWith('/v1/models/')) {
    const id = decodePathPart(path.slice('/v1/models/'.length));
    if (id !== null && id !== '') return handleRetrieveModel(state, req, res, id);
  }
  if (path.startsWith('/v1/files') || path.startsWith('/v1/batches')) {
    if (routeBatchApi(state, req, res, method, path, body)) return;
  }
  if (key === 'GET /_standin/log') return handleReadLog(state, res);
  if (key === 'DELETE /_standin/log') return handleResetLog(state, res);
  if (key === 'GET /_standin/config') return handleReadConfig(state, res);
  if (key === 'POST /_standin/config') return handleConfigure(state, res, body);
  sendOpenAiError(res, 404, { message: `Invalid URL (${method} ${path})`, type: 'invalid_request_error', code: null }, state.responseHeaders());
}

function decodePathPart(part: string): string | null {
  try {
    return decodeURIComponent(part);
  } catch {
    return null;
  }
}
