// GET /v1/models and /v1/models/:id through the real SDK.
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOpenAiStandIn, type OpenAiStandIn } from '../../../../local/openai/server.js';
import { sdkFor } from './fixtures.js';

let standIn: OpenAiStandIn;
beforeAll(async () => {
  standIn = await startOpenAiStandIn();
});
afterAll(() => standIn.close());

describe('models routes', () => {
  it('lists the known models', async () => {
    const ids: string[] = [];
    for await (const model of sdkFor(standIn).models.list()) ids.push(model.id);
    expect(ids).toEqual(['gpt-4.1-mini', 'gpt-4.1-nano', 'gpt-4.1', 'gpt-4o-mini', 'gpt-4o', 'gpt-5-mini', 'gpt-5-nano', 'gpt-5']);
  });

  it('retrieves a known model', async () => {
    expect(await sdkFor(standIn).models.retrieve('gpt-5-nano')).toMatchObject({ id: 'gpt-5-nano', object: 'model', owned_by: 'openai' });
  });

  it('answers 404 model_not_found for an unknown model', async () => {
    const error = await sdkFor(standIn).models.retrieve('gpt-99').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.NotFoundError);
    expect(error).toMatchObject({ status: 404, code: 'model_not_found' });
  });

  it('answers 401 invalid_api_key for the rejected key', async () => {
    const error = await sdkFor(standIn, 'sk-invalid').models.retrieve('gpt-5').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.AuthenticationError);
    expect(error).toMatchObject({ status: 401, code: 'invalid_api_key', type: 'invalid_request_error' });
  });

  it('serves a configured list of models', async () => {
    const own = await startOpenAiStandIn({ models: ['house-model'] });
    try {
      expect((await sdkFor(own).models.retrieve('house-model')).id).toBe('house-model');
      await expect(sdkFor(own).models.retrieve('gpt-5')).rejects.toBeInstanceOf(OpenAI.NotFoundError);
    } finally {
      await own.close();
    }
  });
});
