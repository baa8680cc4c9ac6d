// cloudbuild.yaml, read as data: substitutions consistent, every required cloud variable set, the image it builds is the one it deploys.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { loadServerConfig, requiredCloudVariables } from '../../../backend/src/config.js';
import { readCloudBuild, readRepoFile, substitute } from './deploy-files.js';
import { parseYaml } from './mini-yaml.js';

const build = readCloudBuild();
/** Cloud Build fills these in for `gcloud builds submit` too; trigger-only ones (COMMIT_SHA…) would be empty there. */
const BUILT_INS = { PROJECT_ID: 'my-project', PROJECT_NUMBER: '123456789012', BUILD_ID: '0f1e2d3c-0000-4000-8000-000000000000', LOCATION: 'europe-west1' };
const OPERATOR = { _ADDON_CLIENT_IDS: '1234-abc.apps.googleusercontent.com 5678-def.apps.googleusercontent.com', _ALLOWLIST: 'example.com ana@other.org' };
const VALUES = { ...BUILT_INS, ...build.substitutions, ...OPERATOR };

function script(stepId: string): string {
  const step = build.step(stepId);
  expect(step.entrypoint).toBe('bash');
  expect(step.args[0]).toBe('-c');
  return step.args[1]!;
}

function flag(stepId: string, name: string): string {
  const values = build.step(stepId).args.filter((a) => a.startsWith(`${name}=`));
  expect(values, `${stepId} passes ${name} once`).toHaveLength(1);
  return values[0]!.slice(name.length + 1);
}

/** The env file the env-file step writes: KEY: "value" lines of its heredoc, after substitution. */
function envFile(): Record<string, string> {
  const text = substitute(script('env-file'), VALUES);
  const body = /<<'ENV'\n([\s\S]*?)\nENV\n/.exec(text)?.[1];
  if (body === undefined) throw new Error("env-file step has no <<'ENV' heredoc");
  return Object.fromEntries(
    body.split('\n').map((line) => {
      const match = /^([A-Z][A-Z0-9_]*): "([^"]*)"$/.exec(line);
      if (!match) throw new Error(`env file line is not KEY: "value": ${line}`);
      return [match[1]!, match[2]!];
    }),
  );
}

function secrets(): Record<string, string> {
  return Object.fromEntries(flag('deploy', '--set-secrets').split(',').map((pair) => pair.split('=') as [string, string]));
}

describe('cloudbuild.yaml', () => {
  it('defines every substitution it uses and uses every one it defines (Cloud Build rejects either mistake)', () => {
    const text = JSON.stringify([build.steps, build.images]).replace(/\$\$/g, '');
    const used = new Set([...text.matchAll(/\$\{?([A-Z_][A-Z0-9_]*)\}?/g)].map((m) => m[1]!));
    const user = [...used].filter((name) => name.startsWith('_'));
    expect(user.sort()).toEqual(Object.keys(build.substitutions).sort());
    expect([...used].filter((name) => !name.startsWith('_')).every((name) => name in BUILT_INS)).toBe(true);
  });

  it('gives the service every variable the cloud config requires, the OpenAI and Tavily keys only from Secret Manager', () => {
    const env = envFile();
    const secret = secrets();
    for (const name of requiredCloudVariables()) expect(name in env || name in secret, `${name} is set`).toBe(true);
    expect(Object.keys(secret)).toEqual(['OPENAI_API_KEY', 'TAVILY_API_KEY']);
    expect(build.substitutions._OPENAI_SECRET).toBe('openai-api-key');
    expect(secret.OPENAI_API_KEY).toBe('${_OPENAI_SECRET}:${_OPENAI_SECRET_VERSION}');
    expect(env).not.toHaveProperty('OPENAI_API_KEY');
    expect(build.substitutions._TAVILY_SECRET).toBe('tavily-api-key');
    expect(secret.TAVILY_API_KEY).toBe('${_TAVILY_SECRET}:${_TAVILY_SECRET_VERSION}');
    expect(env).not.toHaveProperty('TAVILY_API_KEY');
  });

  it('writes an env file that, with its defaults, loads as a valid cloud config', () => {
    const env = envFile();
    const config = readRepoFile('backend/src/config.ts');
    for (const name of Object.keys(env)) expect(config, `config.ts reads ${name}`).toContain(`${name}:`);
    const { server } = loadServerConfig({ ...env, OPENAI_API_KEY: 'sk-from-secret-manager', PORT: '8080' });
    expect(server).toMatchObject({
      mode: 'cloud',
      serviceUrl: 'https://rowfill-123456789012.europe-west1.run.app',
      tasksServiceAccount: 'rowfill-tasks@my-project.iam.gserviceaccount.com',
      sheetsServiceAccount: 'rowfill-runtime@my-project.iam.gserviceaccount.com',
      projectId: 'my-project',
      tasksLocation: 'europe-west1',
      tasksQueue: 'rowfill-rows',
      addonClientIds: ['1234-abc.apps.googleusercontent.com', '5678-def.apps.googleusercontent.com'],
      allowlist: ['example.com', 'ana@other.org'],
    });
  });

  it('deploys the image it built and pushed, as the runtime service account, with the env file', () => {
    const image = flag('build', '--tag');
    expect(image).toBe('${_REGION}-docker.pkg.dev/${PROJECT_ID}/${_REPOSITORY}/${_SERVICE}:${BUILD_ID}');
    expect(build.step('build').args).toContain('--file=backend/Dockerfile');
    expect(build.step('push').args).toEqual(['push', image]);
    expect(flag('deploy', '--image')).toBe(image);
    expect(build.images).toEqual([image]);
    const deploy = build.step('deploy');
    expect(deploy.entrypoint).toBe('gcloud');
    expect(deploy.args.slice(0, 3)).toEqual(['run', 'deploy', '${_SERVICE}']);
    expect(flag('deploy', '--service-account')).toBe('${_RUNTIME_SA}@${PROJECT_ID}.iam.gserviceaccount.com');
    expect(flag('deploy', '--env-vars-file')).toBe('/workspace/rowfill-env.yaml');
    expect(script('env-file')).toContain("cat > /workspace/rowfill-env.yaml <<'ENV'");
    expect(flag('deploy', '--region')).toBe('${_REGION}');
    // --set-env-vars / --update-env-vars would fight the env file (and split values at commas).
    expect(deploy.args.some((a) => /^--(set|update)-env-vars/.test(a))).toBe(false);
    expect(deploy.args).toContain('${_PUBLIC_ACCESS_FLAG}');
    expect(['--no-invoker-iam-check', '--allow-unauthenticated']).toContain(build.substitutions._PUBLIC_ACCESS_FLAG);
  });

  it('creates or updates the queue with rate and retry settings from substitutions, where the service expects it', () => {
    const queue = script('queue');
    expect(queue).toContain('gcloud tasks queues create ${_TASKS_QUEUE} "$${flags[@]}"');
    expect(queue).toContain('gcloud tasks queues update ${_TASKS_QUEUE} "$${flags[@]}"');
    for (const [flagName, substitution] of [
      ['--location', '_REGION'],
      ['--max-dispatches-per-second', '_QUEUE_MAX_DISPATCHES_PER_SECOND'],
      ['--max-concurrent-dispatches', '_QUEUE_MAX_CONCURRENT_DISPATCHES'],
      ['--max-attempts', '_QUEUE_MAX_ATTEMPTS'],
      ['--min-backoff', '_QUEUE_MIN_BACKOFF'],
      ['--max-backoff', '_QUEUE_MAX_BACKOFF'],
      ['--max-doublings', '_QUEUE_MAX_DOUBLINGS'],
    ]) {
      expect(queue).toContain(`${flagName}=\${${substitution}}`);
    }
    const env = envFile();
    expect(env.ROWFILL_TASKS_QUEUE).toBe(substitute('${_TASKS_QUEUE}', VALUES));
    expect(env.ROWFILL_TASKS_LOCATION).toBe(substitute('${_REGION}', VALUES));
  });

  it('checks, tests and builds before it touches the queue or the service', () => {
    expect(build.steps.map((s) => s.id)).toEqual(['check-substitutions', 'test', 'build', 'push', 'queue', 'env-file', 'deploy']);
    const test = script('test');
    for (const command of ['npm ci', 'npm run typecheck', 'npm run lint', 'npx vitest run test/unit']) expect(test).toContain(command);
    expect(script('check-substitutions')).toContain('test -n "${_ADDON_CLIENT_IDS}"');
    expect(script('check-substitutions')).toContain('test -n "${_ALLOWLIST}"');
  });

  it('has bash steps that bash can parse once substituted', () => {
    for (const step of build.steps.filter((s) => s.entrypoint === 'bash')) {
      const result = spawnSync('bash', ['-n'], { input: substitute(step.args[1]!, VALUES), encoding: 'utf8' });
      expect(result.stderr, step.id).toBe('');
      expect(result.status, step.id).toBe(0);
    }
  });
});

describe('the YAML subset reader', () => {
  it('reads maps, sequences, quoted scalars and literal blocks', () => {
    expect(parseYaml("# c\na:\n  - x\n  - k: '1'\n    j: \"q\"\n  - |\n    one\n      two\nb: ''\n")).toEqual({ a: ['x', { k: '1', j: 'q' }, 'one\n  two\n'], b: '' });
  });

  it('refuses what it does not understand instead of guessing', () => {
    expect(() => parseYaml('a: [1, 2]\n')).toThrow('line 1: flow collections, anchors, tags, folded blocks and trailing comments are not supported');
    expect(() => parseYaml('a: b # note\n')).toThrow('line 1');
    expect(() => parseYaml('a: 1\na: 2\n')).toThrow('line 2: duplicate key a');
  });
});
