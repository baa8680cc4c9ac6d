// docs/deploy.md stays in step with config.ts and cloudbuild.yaml: every variable, substitution, API and role it must name.
import { describe, expect, it } from 'vitest';
import { requiredCloudVariables, serverVariableNames } from '../../../backend/src/config.js';
import { readCloudBuild, readRepoFile } from './deploy-files.js';

const guide = readRepoFile('docs/deploy.md');
const envTable = guide.slice(guide.indexOf('## Environment variables'), guide.indexOf('## cloudbuild.yaml substitutions'));

/** The env table's rows: variable name → its "required in cloud" cell. */
function tableRows(): Map<string, string> {
  const rows = new Map<string, string>();
  for (const line of envTable.split('\n')) {
    const match = /^\| `([A-Z_]+)` \| (yes|no) \|/.exec(line);
    if (match) rows.set(match[1]!, match[2]!);
  }
  return rows;
}

describe('docs/deploy.md', () => {
  it('documents every server variable, and marks exactly the required cloud variables as required', () => {
    const rows = tableRows();
    for (const name of serverVariableNames()) expect(rows.has(name), `${name} in the table`).toBe(true);
    const required = [...rows].filter(([, cell]) => cell === 'yes').map(([name]) => name);
    expect(required.sort()).toEqual([...requiredCloudVariables()].sort());
  });

  it('documents every cloudbuild.yaml substitution', () => {
    for (const name of Object.keys(readCloudBuild().substitutions)) expect(guide, name).toContain(`\`${name}\``);
  });

  it('enables every API the backend and its deploy use', () => {
    for (const api of ['run', 'cloudtasks', 'sheets', 'secretmanager', 'artifactregistry', 'cloudbuild', 'iamcredentials', 'firestore']) {
      expect(guide).toContain(`${api}.googleapis.com`);
    }
  });

  it('grants every role the service, the queue and the build need', () => {
    for (const role of [
      'roles/cloudtasks.enqueuer',
      'roles/iam.serviceAccountUser',
      'roles/run.invoker',
      'roles/secretmanager.secretAccessor',
      'roles/datastore.user',
      'roles/run.admin',
      'roles/artifactregistry.writer',
      'roles/cloudtasks.queueAdmin',
    ]) {
      expect(guide).toContain(role);
    }
  });

  it('creates the Firestore database in Native mode, the secret, and covers the client id and sheet sharing', () => {
    expect(guide).toContain('gcloud firestore databases create --location="$REGION" --type=firestore-native');
    expect(guide).toContain('gcloud secrets create openai-api-key');
    expect(guide).toContain('ScriptApp.getIdentityToken()');
    expect(guide).toMatch(/## \d+\. Share a sheet with the service account/);
  });

  it('numbers its steps in order', () => {
    const numbers = [...guide.matchAll(/^## (\d+)\. /gm)].map((m) => Number(m[1]));
    expect(numbers).toEqual(numbers.map((_n, i) => i));
  });
});
