// The /_standin admin routes another process uses to read the log and change settings.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOpenAiStandIn, type OpenAiStandIn } from '../../../../local/openai/server.js';
import { rowRequest, sdkFor } from './fixtures.js';

let standIn: OpenAiStandIn;
let admin: string;
beforeAll(async () => {
  standIn = await startOpenAiStandIn();
  admin = standIn.url.replace(/\/v1$/, '/_standin');
});
afterAll(() => standIn.close());

describe('admin routes', () => {
  it('serves the request log as JSON and empties it on DELETE', async () => {
    await sdkFor(standIn).chat.completions.create(rowRequest({ Brand: 'Acme' }));
    const log = (await (await fetch(`${admin}/log`)).json()) as { rowKey: string; billed: boolean }[];
    expect(log).toMatchObject([{ rowKey: '{"Brand":"Acme"}', billed: true }]);
    expect((await fetch(`${admin}/log`, { method: 'DELETE' })).status).toBe(200);
    expect(await (await fetch(`${admin}/log`)).json()).toEqual([]);
    expect(standIn.requestLog).toHaveLength(0);
  });

  it('applies a partial config posted as JSON and answers the settings in force', async () => {
    const response = await fetch(`${admin}/config`, { method: 'POST', body: JSON.stringify({ faults: { error500: 1 } }) });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ faults: { error500: 1, hang: 0 }, latencyMs: 0 });
    await expect(sdkFor(standIn).chat.completions.create(rowRequest({ Brand: 'Acme' }))).rejects.toMatchObject({ status: 500 });
    await fetch(`${admin}/config`, { method: 'POST', body: JSON.stringify({ faults: { error500: 0 } }) });
    expect(((await (await fetch(`${admin}/config`)).json()) as { faults: { error500: number } }).faults.error500).toBe(0);
  });

  it('refuses a bad config with 400 naming the field, and keeps the old settings', async () => {
    const response = await fetch(`${admin}/config`, { method: 'POST', body: JSON.stringify({ rpm: -3 }) });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: { code: 'invalid_config', message: 'OpenAiStandIn: rpm must be a positive number or null, got -3' } });
    expect(standIn.settings.rpm).toBeNull();
  });
});
