// Backend refusals as the sidebar shows them: config problems land on their fields, an unpriced model on Model.
import { describe, expect, it } from 'vitest';
import { BackendError } from '../../../addon/src/backend-error.js';
import { configFields, toRpcError } from '../../../addon/src/rpc-result.js';

describe('backend errors in the sidebar', () => {
  it('puts the engine\'s "path: message" lines on the sidebar fields they name', () => {
    expect(configFields('model: no price is known for "gpt-9"; pick a listed model or enter its price per 1M tokens\nprice.output: must be at least 0\noutputs.1.name: required\nconfig: bad')).toEqual([
      { field: 'model', message: 'no price is known for "gpt-9"; pick a listed model or enter its price per 1M tokens' },
      { field: 'priceOutput', message: 'must be at least 0' },
      { field: 'outputs.1.name', message: 'required' },
    ]);
  });

  it('shows an unknown model as an error on Model, without the engine\'s path prefix', () => {
    const error = toRpcError(new BackendError('invalid_config', 400, 'model: no price is known for "gpt-9"; pick a listed model or enter its price per 1M tokens'));
    expect(error).toEqual({
      code: 'invalid_config',
      message: 'no price is known for "gpt-9"; pick a listed model or enter its price per 1M tokens',
      fields: [{ field: 'model', message: 'no price is known for "gpt-9"; pick a listed model or enter its price per 1M tokens' }],
    });
    expect(toRpcError(new BackendError('unknown_price', 400, 'No price is known for model "gpt-9".'))?.fields).toEqual([{ field: 'model', message: 'No price is known for model "gpt-9".' }]);
    expect(toRpcError(new BackendError('model_unavailable', 400, "Model 'gpt-9' is not available to this API key"))?.fields).toEqual([{ field: 'model', message: "Model 'gpt-9' is not available to this API key" }]);
    expect(toRpcError(new Error('bug'))).toBeNull();
  });

  it('puts research problems on the research fields: a backend without search on the switch, bad limits on their own', () => {
    const error = toRpcError(new BackendError('invalid_config', 400, 'research.enabled: research mode is not set up on this backend: set TAVILY_API_KEY (see docs/deploy.md), or turn "Research the web" off.'));
    expect(error?.fields).toEqual([{ field: 'researchEnabled', message: 'research mode is not set up on this backend: set TAVILY_API_KEY (see docs/deploy.md), or turn "Research the web" off.' }]);
    expect(configFields('research.maxSearches: must be between 1 and 8\nresearch.maxPages: must be a whole number')).toEqual([
      { field: 'maxSearches', message: 'must be between 1 and 8' },
      { field: 'maxPages', message: 'must be a whole number' },
    ]);
  });
});
