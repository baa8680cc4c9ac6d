// The standalone stand-in's flags become start options.
import { describe, expect, it } from 'vitest';
import { standInOptionsFromArgv } from '../../../../local/openai/cli-options.js';

describe('standInOptionsFromArgv', () => {
  it('reads limits, latency and repeated faults', () => {
    const options = standInOptionsFromArgv(['--port', '8787', '--rpm', '600', '--tpm', '200000', '--latency-ms', '800', '--jitter-ms', '400', '--fault', 'error500=0.05', '--fault', 'hang=0.01']);
    expect(options).toMatchObject({ port: 8787, rpm: 600, tpm: 200_000, latencyMs: 800, jitterMs: 400, faults: { error500: 0.05, hang: 0.01 } });
  });

  it('defaults to a free port and no limits', () => {
    expect(standInOptionsFromArgv([])).toMatchObject({ port: 0, rpm: undefined, tpm: undefined, faults: {} });
  });

  it('refuses a flag value that is not a number', () => {
    expect(() => standInOptionsFromArgv(['--rpm', 'lots'])).toThrow(/expected a number, got "lots"/);
    expect(() => standInOptionsFromArgv(['--fault', 'hang'])).toThrow(/expected kind=probability, got "hang"/);
  });
});
