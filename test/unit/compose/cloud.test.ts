// The Cloud Run composition's cheap-mode wiring: the deployment's batch settings reach the engine as they do on one machine.
import { describe, expect, it } from 'vitest';
import { cloudAdapters } from '../../../backend/src/compose/cloud.js';
import { loadServerConfig, type CloudServerSettings, type ServerConfig } from '../../../backend/src/config.js';
import { silentLogger } from '../../../backend/src/ports/logger.js';

const CLOUD: Record<string, string> = {
  ROWFILL_MODE: 'cloud',
  ROWFILL_SERVICE_URL: 'https://rowfill-123456789.europe-west1.run.app/',
  ROWFILL_ADDON_CLIENT_IDS: '1234-abc.apps.googleusercontent.com',
  ROWFILL_ALLOWLIST: 'example.com',
  ROWFILL_TASKS_SERVICE_ACCOUNT: 'rowfill-tasks@my-project.iam.gserviceaccount.com',
  GOOGLE_CLOUD_PROJECT: 'my-project',
  ROWFILL_TASKS_LOCATION: 'europe-west1',
  ROWFILL_TASKS_QUEUE: 'rowfill-rows',
  ROWFILL_SHEETS_SERVICE_ACCOUNT: 'rowfill-runtime@my-project.iam.gserviceaccount.com',
  OPENAI_API_KEY: 'sk-test',
};

function cloudConfig(env: Record<string, string>): ServerConfig & { readonly server: CloudServerSettings } {
  const config = loadServerConfig({ ...CLOUD, ...env });
  if (config.server.mode !== 'cloud') throw new Error('expected a cloud config');
  return config as ServerConfig & { readonly server: CloudServerSettings };
}

describe('cloudAdapters: cheap mode', () => {
  it('gives cheap mode the Batch API client on the OpenAI key and endpoint, polling from 30 s by default', () => {
    const adapters = cloudAdapters(cloudConfig({ OPENAI_BASE_URL: 'https://openai.example.com/v1' }), silentLogger);
    expect(adapters.batch?.client).toMatchObject({ baseURL: 'https://openai.example.com/v1', simulated: false });
    expect(adapters.batch?.options ?? {}).toEqual({});
  });

  it('honours ROWFILL_BATCH_POLL_MS and ROWFILL_BATCH_ENQUEUED_TOKENS as the CLI does', () => {
    const adapters = cloudAdapters(cloudConfig({ ROWFILL_BATCH_POLL_MS: '5000', ROWFILL_BATCH_ENQUEUED_TOKENS: '90000000' }), silentLogger);
    expect(adapters.batch?.options).toEqual({ pollMinMs: 5000, pollMaxMs: 40_000, enqueuedTokenLimit: 90_000_000 });
  });
});
