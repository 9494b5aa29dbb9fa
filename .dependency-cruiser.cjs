/**
 * Architecture rules checked by `npm run lint`: contexts talk to each other only through their
 * index.ts, apps only through the libraries' public faces, the platform and the AI gateway import
 * no context, and nothing imports the tests.
 */
module.exports = {
  forbidden: [
    {
      name: 'context-through-index-only',
      severity: 'error',
      comment: 'A library may use another context only through what its src/index.ts exports.',
      from: { path: '^libs/([^/]+)/' },
      to: { path: '^libs/([^/]+)/src/', pathNot: ['^libs/$1/', '^libs/[^/]+/src/index\\.ts$'] },
    },
    {
      name: 'platform-imports-no-context',
      severity: 'error',
      comment: 'Platform keeps the mechanisms; contexts register with it (events, queues, config slices, …), it names none of them.',
      from: { path: '^libs/platform/' },
      to: { path: '^libs/', pathNot: '^libs/platform/' },
    },
    {
      name: 'ai-gateway-imports-no-context',
      severity: 'error',
      comment: 'The AI gateway builds on the platform only; contexts register their AI features with it (AiFeaturesModule.register).',
      from: { path: '^libs/ai-gateway/' },
      to: { path: '^libs/', pathNot: ['^libs/ai-gateway/', '^libs/platform/'] },
    },
    {
      name: 'apps-through-index-only',
      severity: 'error',
      comment: 'Apps import libraries through their index (the @switchboard/<lib> alias), and the tracing start that must run before the rest is loaded (@switchboard/platform/tracing).',
      from: { path: '^apps/' },
      to: { path: '^libs/[^/]+/src/', pathNot: ['^libs/[^/]+/src/index\\.ts$', '^libs/platform/src/observability/tracing\\.ts$'] },
    },
    {
      name: 'libs-never-import-apps',
      severity: 'error',
      from: { path: '^libs/' },
      to: { path: '^(apps|scripts|bench|test)/' },
    },
    {
      name: 'no-circular-between-contexts',
      severity: 'error',
      comment: 'Contexts form a DAG; a cycle means a missing integration event.',
      from: { path: '^libs/([^/]+)/' },
      to: { circular: true, pathNot: '^libs/$1/' },
    },
    {
      name: 'test-doubles-in-specs-only',
      severity: 'error',
      comment: "Platform's test doubles (@switchboard/platform/testing) are for *.spec.ts files only.",
      from: { pathNot: '^libs/platform/src/testing/' },
      to: { path: '^libs/platform/src/testing/' },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // The console's browser script imports from URLs the api serves, not from the repository.
    exclude: { path: '(^dist/|\\.spec\\.ts$|^apps/api/console/)' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default', 'types'], extensions: ['.ts', '.js', '.json', '.d.ts'] },
  },
};
