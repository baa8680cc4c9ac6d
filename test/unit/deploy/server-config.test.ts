// loadServerConfig: local defaults, the cloud variables it insists on, and the exact message for each bad value.
import { describe, expect, it } from 'vitest';
import { ConfigLoadError, loadConfig, loadServerConfig, requiredCloudVariables } from '../../../backend/src/config.js';

const CLOUD: Record<string, string> = {
  ROWFILL_MODE: 'cloud',
  PORT: '8080',
  ROWFILL_SERVICE_URL: 'https://rowfill-123456789.europe-west1.run.app/',
  ROWFILL_ADDON_CLIENT_IDS: '1234-abc.apps.googleusercontent.com, 5678-def.apps.googleusercontent.com',
  ROWFILL_ALLOWLIST: 'Example.com,bob@gmail.com',
  ROWFILL_TASKS_SERVICE_ACCOUNT: 'rowfill-tasks@my-project.iam.gserviceaccount.com',
  GOOGLE_CLOUD_PROJECT: 'my-project',
  ROWFILL_TASKS_LOCATION: 'europe-west1',
  ROWFILL_TASKS_QUEUE: 'rowfill-rows',
  ROWFILL_SHEETS_SERVICE_ACCOUNT: 'rowfill-runtime@my-project.iam.gserviceaccount.com',
  OPENAI_API_KEY: 'sk-test',
};

function messageOf(env: Record<string, string | undefined>): string {
  try {
    loadServerConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigLoadError);
    return (error as Error).message;
  }
  throw new Error('expected loadServerConfig to throw');
}

describe('loadServerConfig', () => {
  it('defaults to local mode on loopback with the engine limits', () => {
    const { server, dbPath } = loadServerConfig({});
    expect(dbPath).toBe('.rowfill/rowfill.db');
    expect(server).toMatchObject({ mode: 'local', host: '127.0.0.1', port: 8080, maxRowsPerJob: 100_000, maxWorkers: 50, maxBudgetUsd: 10_000, bodyLimit: '1mb', bodyLimitBytes: 1_048_576, addonClientIds: [], allowlist: [] });
  });

  it('reads a complete cloud configuration, normalized', () => {
    const { server, openaiApiKey } = loadServerConfig(CLOUD);
    expect(openaiApiKey).toBe('sk-test');
    expect(server).toEqual({
      mode: 'cloud',
      host: '0.0.0.0',
      port: 8080,
      serviceUrl: 'https://rowfill-123456789.europe-west1.run.app',
      addonClientIds: ['1234-abc.apps.googleusercontent.com', '5678-def.apps.googleusercontent.com'],
      allowlist: ['example.com', 'bob@gmail.com'],
      tasksServiceAccount: 'rowfill-tasks@my-project.iam.gserviceaccount.com',
      projectId: 'my-project',
      tasksLocation: 'europe-west1',
      tasksQueue: 'rowfill-rows',
      sheetsServiceAccount: 'rowfill-runtime@my-project.iam.gserviceaccount.com',
      maxRowsPerJob: 100_000,
      maxWorkers: 50,
      maxBudgetUsd: 10_000,
      maxInFlight: 500,
      bodyLimit: '1mb',
      bodyLimitBytes: 1_048_576,
      research: { tavilyApiKey: undefined, tavilyBaseUrl: undefined, searchRpm: 100 },
      sheetsQuota: { readsPerMinute: 60, writesPerMinute: 60 },
    });
  });

  it("reads the deployment's Sheets budget (Google's per-user default unless raised), with exact messages", () => {
    const { server } = loadServerConfig({ ...CLOUD, ROWFILL_SHEETS_READS_PER_MINUTE: '300', ROWFILL_SHEETS_WRITES_PER_MINUTE: ' 120 ' });
    expect(server.sheetsQuota).toEqual({ readsPerMinute: 300, writesPerMinute: 120 });
    expect(messageOf({ ROWFILL_SHEETS_READS_PER_MINUTE: '0' })).toBe('ROWFILL_SHEETS_READS_PER_MINUTE must be a whole number from 1 to 1000000');
    expect(messageOf({ ROWFILL_SHEETS_WRITES_PER_MINUTE: '12.5' })).toBe('ROWFILL_SHEETS_WRITES_PER_MINUTE must be a whole number from 1 to 1000000');
  });

  it('reads research mode settings: the Tavily key and endpoint, searches per minute, with exact messages', () => {
    const { server } = loadServerConfig({ ...CLOUD, TAVILY_API_KEY: ' tvly-abc ', TAVILY_BASE_URL: 'https://search.example.com', ROWFILL_SEARCH_RPM: '40' });
    expect(server.research).toEqual({ tavilyApiKey: 'tvly-abc', tavilyBaseUrl: 'https://search.example.com', searchRpm: 40 });
    expect(messageOf({ TAVILY_BASE_URL: 'ftp://x' })).toBe('TAVILY_BASE_URL must be an http(s) URL');
    expect(messageOf({ ROWFILL_SEARCH_RPM: '0' })).toBe('ROWFILL_SEARCH_RPM must be a whole number from 1 to 100000');
  });

  it('names every missing cloud variable in one message', () => {
    expect(messageOf({ ROWFILL_MODE: 'cloud' })).toBe(
      'ROWFILL_MODE=cloud needs ROWFILL_SERVICE_URL, ROWFILL_ADDON_CLIENT_IDS, ROWFILL_ALLOWLIST, ROWFILL_TASKS_SERVICE_ACCOUNT, GOOGLE_CLOUD_PROJECT, ROWFILL_TASKS_LOCATION, ROWFILL_TASKS_QUEUE, ROWFILL_SHEETS_SERVICE_ACCOUNT, OPENAI_API_KEY (see docs/deploy.md)',
    );
  });

  it('treats a blank variable as missing', () => {
    expect(messageOf({ ...CLOUD, ROWFILL_ALLOWLIST: '  ', OPENAI_API_KEY: '' })).toBe('ROWFILL_MODE=cloud needs ROWFILL_ALLOWLIST, OPENAI_API_KEY (see docs/deploy.md)');
  });

  it('treats a list of only separators as missing', () => {
    expect(messageOf({ ...CLOUD, ROWFILL_ALLOWLIST: ' , ', ROWFILL_ADDON_CLIENT_IDS: ',' })).toBe('ROWFILL_MODE=cloud needs ROWFILL_ADDON_CLIENT_IDS, ROWFILL_ALLOWLIST (see docs/deploy.md)');
  });

  it('lists the required cloud variables, mode first', () => {
    expect(requiredCloudVariables()).toEqual([
      'ROWFILL_MODE',
      'ROWFILL_SERVICE_URL',
      'ROWFILL_ADDON_CLIENT_IDS',
      'ROWFILL_ALLOWLIST',
      'ROWFILL_TASKS_SERVICE_ACCOUNT',
      'GOOGLE_CLOUD_PROJECT',
      'ROWFILL_TASKS_LOCATION',
      'ROWFILL_TASKS_QUEUE',
      'ROWFILL_SHEETS_SERVICE_ACCOUNT',
      'OPENAI_API_KEY',
    ]);
  });

  it.each([
    [{ ROWFILL_MODE: 'prod' }, 'ROWFILL_MODE must be "local" or "cloud"'],
    [{ PORT: '80a' }, 'PORT must be a whole number from 1 to 65535'],
    [{ PORT: '70000' }, 'PORT must be a whole number from 1 to 65535'],
    [{ ROWFILL_SERVICE_URL: 'https://rowfill.run.app/tasks' }, 'ROWFILL_SERVICE_URL must be the service base URL (scheme and host, no path), like https://rowfill-123456789.europe-west1.run.app'],
    [{ ROWFILL_ADDON_CLIENT_IDS: '1234-abc.apps.googleusercontent.com,my-script-id' }, 'ROWFILL_ADDON_CLIENT_IDS must be a comma-separated list of OAuth client ids ending in .apps.googleusercontent.com; not valid: my-script-id'],
    [{ ROWFILL_ALLOWLIST: 'example.com,not a domain' }, 'ROWFILL_ALLOWLIST must be a comma-separated list of "*", Workspace domains (example.com) and emails (ana@example.com); not valid: not, a, domain'],
    [{ ROWFILL_TASKS_SERVICE_ACCOUNT: 'tasks' }, 'ROWFILL_TASKS_SERVICE_ACCOUNT must be an email address like rowfill@my-project.iam.gserviceaccount.com'],
    [{ GOOGLE_CLOUD_PROJECT: 'My Project' }, 'GOOGLE_CLOUD_PROJECT must be a project id like my-project-123'],
    [{ ROWFILL_TASKS_LOCATION: 'Europe' }, 'ROWFILL_TASKS_LOCATION must be a region like europe-west1'],
    [{ ROWFILL_TASKS_QUEUE: 'rows/1' }, 'ROWFILL_TASKS_QUEUE must be a queue id: letters, digits and hyphens, at most 100'],
    [{ ROWFILL_MAX_ROWS_PER_JOB: '0' }, 'ROWFILL_MAX_ROWS_PER_JOB must be a whole number from 1 to 1000000'],
    [{ ROWFILL_MAX_WORKERS: '2.5' }, 'ROWFILL_MAX_WORKERS must be a whole number from 1 to 1000'],
    [{ ROWFILL_MAX_IN_FLIGHT: '0' }, 'ROWFILL_MAX_IN_FLIGHT must be a whole number from 1 to 5000'],
    [{ ROWFILL_MAX_BUDGET_USD: '-1' }, 'ROWFILL_MAX_BUDGET_USD must be a number of US dollars greater than 0'],
    [{ ROWFILL_MAX_BUDGET_USD: 'lots' }, 'ROWFILL_MAX_BUDGET_USD must be a number of US dollars greater than 0'],
    [{ ROWFILL_BODY_LIMIT: '64mb' }, 'ROWFILL_BODY_LIMIT must be a size from 1kb to 32mb, like 512kb or 1mb'],
    [{ ROWFILL_BODY_LIMIT: 'big' }, 'ROWFILL_BODY_LIMIT must be a size from 1kb to 32mb, like 512kb or 1mb'],
  ])('rejects %o with an exact message', (env, message) => {
    expect(messageOf(env)).toBe(message);
  });

  it('reports every problem at once, server and base settings alike', () => {
    expect(messageOf({ PORT: 'x', OPENAI_BASE_URL: 'ftp://x' }).split('\n').sort()).toEqual(['OPENAI_BASE_URL must be an http(s) URL', 'PORT must be a whole number from 1 to 65535']);
  });

  it('accepts spaces as list separators and sizes in any case', () => {
    const { server } = loadServerConfig({ ROWFILL_ALLOWLIST: 'example.com  ana@other.org', ROWFILL_BODY_LIMIT: '512KB', ROWFILL_MAX_BUDGET_USD: '250.5' });
    expect(server).toMatchObject({ allowlist: ['example.com', 'ana@other.org'], bodyLimit: '512kb', bodyLimitBytes: 524_288, maxBudgetUsd: 250.5 });
  });

  it('leaves loadConfig alone: the CLI never fails on a server variable', () => {
    expect(() => loadConfig({ PORT: 'x', ROWFILL_MODE: 'cloud' })).not.toThrow();
  });
});
