// The faults that break a 200's body rather than its status: usage over the cap, a huge answer, no choices at all.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { applySettings, DEFAULT_SETTINGS } from '../../../../local/openai/settings.js';
import { startOpenAiStandIn, type OpenAiStandIn } from '../../../../local/openai/server.js';
import { rowRequest, sdkFor } from './fixtures.js';

let standIn: OpenAiStandIn;
beforeAll(async () => {
  standIn = await startOpenAiStandIn();
});
afterAll(() => standIn.close());
beforeEach(() => {
  standIn.resetLog();
  standIn.configure({ faults: { overUsage: 0, hugeAnswer: 0, emptyChoices: 0 } });
});

const ask = () => sdkFor(standIn).chat.completions.create(rowRequest({ Brand: 'Acme' }, { maxTokens: 332 }));

describe('body faults', () => {
  it('overUsage reports overUsageTokens completion tokens whatever max_completion_tokens said, and logs them', async () => {
    standIn.configure({ faults: { overUsage: 1 }, overUsageTokens: 5000 });
    const data = await ask();
    expect(data.usage?.completion_tokens).toBe(5000);
    expect(JSON.parse(data.choices[0]!.message.content!)).toHaveProperty('website');
    expect(standIn.requestLog[0]).toMatchObject({ fault: 'overUsage', status: 200, completionTokens: 5000, billed: true });
  });

  it('hugeAnswer sends a body of hugeAnswerBytes, billed', async () => {
    standIn.configure({ faults: { hugeAnswer: 1 }, hugeAnswerBytes: 2_000_000 });
    const response = await fetch(`${standIn.url}/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer sk-test' },
      body: JSON.stringify(rowRequest({ Brand: 'Acme' })),
    });
    const text = await response.text();
    expect(text.length).toBeGreaterThanOrEqual(2_000_000);
    expect(standIn.requestLog[0]).toMatchObject({ fault: 'hugeAnswer', status: 200, billed: true });
  });

  it('emptyChoices answers 200 with no choices but with usage, billed', async () => {
    standIn.configure({ faults: { emptyChoices: 1 } });
    const data = await ask();
    expect(data.choices).toEqual([]);
    expect(data.usage?.prompt_tokens).toBeGreaterThan(0);
    expect(standIn.requestLog[0]).toMatchObject({ fault: 'emptyChoices', status: 200, billed: true });
  });

  it('validates the sizes with messages that name the field', () => {
    expect(DEFAULT_SETTINGS).toMatchObject({ overUsageTokens: 5000, hugeAnswerBytes: 20_000_000 });
    expect(() => applySettings(DEFAULT_SETTINGS, { overUsageTokens: -1 })).toThrow('OpenAiStandIn: overUsageTokens must be a non-negative integer, got -1');
    expect(() => applySettings(DEFAULT_SETTINGS, { hugeAnswerBytes: 1.5 })).toThrow('OpenAiStandIn: hugeAnswerBytes must be a non-negative integer, got 1.5');
  });
});
