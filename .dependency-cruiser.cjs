// The dependency rule of docs/DESIGN §2: the engine is pure, adapters sit behind ports, local/ stays out of production code.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'kernel-imports-nothing',
      comment: 'backend/src/kernel (errors, money, status texts, limits, the model list and prices) imports nothing but itself: no node:, no libraries, no ports, so adapters and the add-on bundle can share it.',
      severity: 'error',
      from: { path: '^backend/src/kernel/' },
      to: { pathNot: '^backend/src/kernel/' },
    },
    {
      name: 'engine-is-pure',
      comment: 'backend/src/engine imports only the kernel, ports, itself and pure libraries (zod, gpt-tokenizer, node:crypto for hashing): never an adapter.',
      severity: 'error',
      from: { path: '^backend/src/engine' },
      to: {
        pathNot: ['^backend/src/engine', '^backend/src/kernel/', '^backend/src/ports', 'node_modules/zod', 'node_modules/gpt-tokenizer', '^crypto$', '^node:crypto$'],
      },
    },
    {
      name: 'ports-are-types',
      comment: 'ports describe what the engine needs; they import nothing but each other and the kernel.',
      severity: 'error',
      from: { path: '^backend/src/ports' },
      to: { pathNot: ['^backend/src/ports', '^backend/src/kernel/'] },
    },
    {
      name: 'application-over-engine-and-ports',
      comment: 'backend/src/application (authorization, sheet preflight, parsing a request\'s config once) calls the engine and ports; it never builds or imports an adapter, a route or a command.',
      severity: 'error',
      from: { path: '^backend/src/application/' },
      to: { pathNot: ['^backend/src/application/', '^backend/src/engine/', '^backend/src/kernel/', '^backend/src/ports/'] },
    },
    {
      name: 'front-ends-go-through-application-or-engine',
      comment: 'http/ and cli/ reach the core through the application layer or the engine; only the composition roots (compose/) wire adapters, and nothing below them imports a front end or compose/.',
      severity: 'error',
      from: { path: '^backend/src/(engine|ports|application|kernel)/' },
      to: { path: '^backend/src/(http|cli|compose)/' },
    },
    {
      name: 'adapters-do-not-reach-up',
      comment: 'adapters implement ports; they never import http, cli or another adapter (the shared system clock, the SQLite opener, the OpenAI error mapping and adapters/shared/ excepted).',
      severity: 'error',
      from: { path: '^backend/src/adapters/([^/]+)/' },
      to: { path: ['^backend/src/(http|cli|application|compose)/', '^backend/src/adapters/(?!$1/)(?!system-clock/)(?!sqlite/database)(?!openai/openai-errors)(?!shared/)[^/]+'] },
    },
    {
      name: 'adapters-import-kernel-and-ports',
      comment: 'from the rest of backend/src, adapters import only the kernel and the ports (other adapters: see adapters-do-not-reach-up). The one exception: the pure row decisions of engine/row-transitions* and the argument checks of engine/store-arguments, which the Store adapters apply inside their transactions (the domain decides, the stores persist).',
      severity: 'error',
      from: { path: '^backend/src/adapters/' },
      to: { path: '^backend/src/', pathNot: ['^backend/src/(adapters|kernel|ports)/', '^backend/src/engine/(row-transitions[^/]*|store-arguments)\\.ts$'] },
    },
    {
      name: 'adapters-are-built-in-compose',
      comment: 'adapters are constructed only by the composition roots (backend/src/compose) and the entry points (http/server.ts, cli/): routes and the Express app see ports and the engine, never an adapter module.',
      severity: 'error',
      from: { path: '^backend/src/http/', pathNot: '^backend/src/http/server\\.ts$' },
      to: { path: '^backend/src/adapters/', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'no-local-in-production',
      comment: 'local/ stand-ins are wired in only by the dev wiring (backend/src/cli/dev-wiring*).',
      severity: 'error',
      from: { path: '^backend/src', pathNot: '^backend/src/cli/dev-wiring' },
      to: { path: '^local/' },
    },
    {
      name: 'local-does-not-import-backend-runtime',
      comment: 'stand-ins are independent of the product they stand in for.',
      severity: 'error',
      from: { path: '^local/' },
      to: { path: '^backend/src/(?!ports)' , dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'addon-imports-only-the-api-contract',
      comment: 'the add-on runs in Apps Script: from the backend it may import only the kernel (caps, models, prices; bundled in) and types of the HTTP API contract.',
      severity: 'error',
      from: { path: '^addon/' },
      to: { path: ['^backend/', '^local/'], pathNot: ['^backend/src/http/api-types\\.ts$', '^backend/src/kernel/'] },
    },
    {
      name: 'addon-api-contract-is-type-only',
      severity: 'error',
      from: { path: '^addon/' },
      to: { path: '^backend/src/http/api-types\\.ts$', dependencyTypesNot: ['type-only'] },
    },
    { name: 'no-circular', severity: 'error', from: {}, to: { circular: true, dependencyTypesNot: ['type-only'] } },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default', 'types'], extensions: ['.ts', '.js', '.json'] },
  },
};
