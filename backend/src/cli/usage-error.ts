// Bad usage or input: one clear line for the user, exit code 2, nothing written.

export class UsageError extends Error {
  override readonly name = 'UsageError';
}
