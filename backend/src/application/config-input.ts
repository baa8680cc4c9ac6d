// A job config from a request, parsed once at the edge with this deployment's caps: the engine receives it typed.
import type { JobConfig } from '../ports/domain.js';
import type { ConfigLimits } from '../kernel/limits.js';
import { ConfigError, parseJobConfig } from '../engine/job-config.js';
import { JobError } from '../kernel/job-errors.js';

/** The request's config, or a JobError `invalid_config` whose message names each field (`workers: must be between 1 and 50`). */
export function parseConfigInput(input: unknown, limits: ConfigLimits): JobConfig {
  try {
    return parseJobConfig(input, limits);
  } catch (error) {
    if (error instanceof ConfigError) throw new JobError('invalid_config', error.message);
    throw error;
  }
}
