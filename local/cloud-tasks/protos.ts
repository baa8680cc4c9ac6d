// Loads the Cloud Tasks v2 service definition from the protos that ship inside @google-cloud/tasks and google-gax.
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { loadPackageDefinition, type ServiceDefinition } from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';

/**
 * Where the protos live. The packages' `exports` hide package.json, so each root is found from its resolved entry
 * point; google-gax is resolved from inside @google-cloud/tasks, so the stand-in reads the copy the client itself uses.
 */
export function protoIncludeDirs(): string[] {
  const require = createRequire(import.meta.url);
  const tasksEntry = require.resolve('@google-cloud/tasks'); // <root>/build/cjs/src/index.cjs
  const gaxEntry = createRequire(tasksEntry).resolve('google-gax'); // <root>/build/src/index.js
  return [join(resolve(dirname(tasksEntry), '../../..'), 'build/protos'), join(resolve(dirname(gaxEntry), '../..'), 'build/protos')];
}

let cached: ServiceDefinition | undefined;

/**
 * The CloudTasks service with messages as plain objects: camelCase fields, int64 as number (every int64 here is a
 * seconds count, far below 2^53), enums as their names, bytes as Buffer, unset fields absent, oneofs named.
 */
export function cloudTasksService(): ServiceDefinition {
  if (cached) return cached;
  const definition = loadSync('google/cloud/tasks/v2/cloudtasks.proto', {
    includeDirs: protoIncludeDirs(),
    keepCase: false,
    longs: Number,
    enums: String,
    defaults: false,
    oneofs: true,
  });
  const root = loadPackageDefinition(definition) as unknown as { google: { cloud: { tasks: { v2: { CloudTasks: { service: ServiceDefinition } } } } } };
  cached = root.google.cloud.tasks.v2.CloudTasks.service;
  return cached;
}
