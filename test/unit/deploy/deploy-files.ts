// Reads the deployment files once for the deploy tests: cloudbuild.yaml as data, its steps by id, its substitutions.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseYaml, type YamlValue } from './mini-yaml.js';

export const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

export function readRepoFile(path: string): string {
  return readFileSync(`${ROOT}${path}`, 'utf8');
}

export interface BuildStep {
  readonly id: string;
  readonly name: string;
  readonly entrypoint?: string;
  readonly args: readonly string[];
}

export interface CloudBuild {
  readonly steps: readonly BuildStep[];
  readonly images: readonly string[];
  readonly substitutions: Readonly<Record<string, string>>;
  step(id: string): BuildStep;
}

export function readCloudBuild(): CloudBuild {
  const doc = parseYaml(readRepoFile('cloudbuild.yaml'));
  const root = asMap(doc, 'cloudbuild.yaml');
  const steps = asList(root.steps, 'steps').map((raw, index) => {
    const step = asMap(raw, `steps[${index}]`);
    return {
      id: asText(step.id, `steps[${index}].id`),
      name: asText(step.name, `steps[${index}].name`),
      ...(step.entrypoint === undefined ? {} : { entrypoint: asText(step.entrypoint, `steps[${index}].entrypoint`) }),
      args: asList(step.args, `steps[${index}].args`).map((arg, i) => asText(arg, `steps[${index}].args[${i}]`)),
    };
  });
  const substitutions = Object.fromEntries(Object.entries(asMap(root.substitutions, 'substitutions')).map(([k, v]) => [k, asText(v, k)]));
  return {
    steps,
    images: asList(root.images, 'images').map((image) => asText(image, 'images[]')),
    substitutions,
    step(id) {
      const found = steps.find((s) => s.id === id);
      if (!found) throw new Error(`cloudbuild.yaml has no step with id ${id}`);
      return found;
    },
  };
}

/** Replaces ${_X} and ${BUILT_IN} the way Cloud Build does, and $$ with $. */
export function substitute(text: string, values: Readonly<Record<string, string>>): string {
  return text.replace(/\$\$|\$\{([A-Z_][A-Z0-9_]*)\}|\$([A-Z_][A-Z0-9_]*)/g, (whole, braced?: string, bare?: string) => {
    if (whole === '$$') return '$';
    const name = (braced ?? bare)!;
    const value = values[name];
    if (value === undefined) throw new Error(`no value for $${name}`);
    return value;
  });
}

function asMap(value: YamlValue | undefined, where: string): { [key: string]: YamlValue } {
  if (value === undefined || typeof value === 'string' || Array.isArray(value)) throw new Error(`${where} must be a map`);
  return value;
}

function asList(value: YamlValue | undefined, where: string): YamlValue[] {
  if (!Array.isArray(value)) throw new Error(`${where} must be a list`);
  return value;
}

function asText(value: YamlValue | undefined, where: string): string {
  if (typeof value !== 'string') throw new Error(`${where} must be a string`);
  return value;
}
