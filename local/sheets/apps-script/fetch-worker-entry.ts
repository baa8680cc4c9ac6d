// The fetch worker's side: answers each blocking UrlFetchApp call with a real HTTP request.
import { workerData, type MessagePort } from 'node:worker_threads';
import { performFetch } from './http-fetch.js';
import { serveSyncCalls } from './sync-call.js';

const { port, signal } = workerData as { port: MessagePort; signal: SharedArrayBuffer };
serveSyncCalls(port, signal, { fetch: performFetch });
