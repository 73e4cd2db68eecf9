// The architecture check CI runs (`npm run lint`). ARCHITECTURE.md "Inside a service" and
// STYLE.md §1, §9, §12. Paths are relative to the directory depcruise runs in: the repo root
// for `npm run lint`, tools/lint/fixtures for `npm run lint:selftest`, so no rule may mention
// the fixtures. Regex groups: dependency-cruiser substitutes $1, $2... from `from.path` into
// `to.path` / `to.pathNot` (it drops unmatched groups, so every group here always matches), and
// it refuses nested quantifiers as unsafe regexes, hence `.+` rather than `(?:[^/]+/)*`.

const npmPackage = (name) => `(^|/)node_modules/${name}/|^${name}$`;

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'domain-purity',
      severity: 'error',
      comment:
        'A *.decider.ts, *.events.ts, *.rules.ts (or a decider\'s *.commands.ts, *.errors.ts, *.state.ts, *.decide.ts) file is pure: ' +
        'it imports only libs/shared-kernel, libs/clinical-reference (pure data and functions), ' +
        '*.events.ts, *.rules.ts and *.errors.ts files of its own app or lib (shared checks and error vocabulary, pure themselves: ' +
        'the appointment and the provider-day calendar both check licensure), and *.commands.ts, *.state.ts, *.decide.ts files of its own folder. No framework, ' +
        'driver, Node built-in or other lib, not even type-only: time, ids and actor come in the command. ' +
        'libs/contracts is exempt: its *.events.ts files are integration events, defined with zod schemas.',
      from: {
        path: '^((?:apps|libs)/[^/]+)/(.*/|)[^/]+\\.(?:decider|events|rules|commands|errors|state|decide)\\.ts$',
        pathNot: '^libs/contracts/',
      },
      to: {
        pathNot: [
          '^libs/shared-kernel/',
          '^libs/clinical-reference/',
          '^$1/.+\\.(?:events|rules|errors)\\.ts$',
          '^$1/$2[^/]+\\.(?:rules|commands|errors|state|decide)\\.ts$',
        ],
      },
    },
    {
      name: 'no-cross-app-imports',
      severity: 'error',
      comment:
        'A service never imports another service: it learns about the world from the versioned ' +
        'integration events of libs/contracts, mapped in its integration/ folder.',
      from: { path: '^apps/([^/]+)/' },
      to: { path: '^apps/[^/]+/', pathNot: '^apps/$1/' },
    },
    {
      name: 'shared-kernel-self-contained',
      severity: 'error',
      comment:
        'libs/shared-kernel imports only itself: no npm package, no other lib, no app ' +
        '(Node built-ins are checked by shared-kernel-builtins-types-only).',
      from: { path: '^libs/shared-kernel/' },
      to: { pathNot: '^libs/shared-kernel/', dependencyTypesNot: ['core'] },
    },
    {
      name: 'shared-kernel-builtins-types-only',
      severity: 'error',
      comment: 'libs/shared-kernel may use Node built-ins for types only (`import type`), never at run time.',
      from: { path: '^libs/shared-kernel/' },
      to: { dependencyTypes: ['core'], dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'clinical-reference-is-pure',
      severity: 'error',
      comment:
        'libs/clinical-reference (the triage rules, lexicon and NegEx reading) is pure: it imports only itself and ' +
        'libs/shared-kernel. No npm package, no Node built-in, no other lib, so deciders of any app may use it.',
      from: { path: '^libs/clinical-reference/' },
      to: { pathNot: '^libs/(?:clinical-reference|shared-kernel)/' },
    },
    {
      name: 'no-lib-imports-app',
      severity: 'error',
      comment: 'Libraries serve the apps; an app is never a dependency of a lib.',
      from: { path: '^libs/' },
      to: { path: '^apps/' },
    },
    {
      name: 'contracts-is-a-leaf',
      severity: 'error',
      comment:
        'libs/contracts is what services know about each other: it imports only itself, ' +
        'libs/shared-kernel and zod. No app, no adapter lib (event-store, messaging, platform), no Node built-in.',
      from: { path: '^libs/contracts/' },
      to: { pathNot: ['^libs/(?:contracts|shared-kernel)/', npmPackage('zod')] },
    },
    {
      name: 'contracts-and-kafka-only-in-integration',
      severity: 'error',
      comment:
        'Inside an app only src/integration/ (and the composition roots main.ts, *.service.ts and *.module.ts) ' +
        'touches Kafka and libs/contracts; int and e2e tests may too. Domain code uses its own private events.',
      from: {
        path: '^apps/[^/]+/',
        pathNot: [
          '^apps/[^/]+/src/integration/',
          '^apps/[^/]+/src/main\\.ts$',
          '^apps/[^/]+/src/[^/]+\\.service\\.ts$',
          '^apps/[^/]+/src/.+\\.module\\.ts$',
          '^apps/[^/]+/test/',
          '\\.(?:int|e2e)\\.spec\\.ts$',
        ],
      },
      to: { path: ['^libs/contracts/', '^@carebridge/contracts$', npmPackage('kafkajs')] },
    },
    {
      name: 'messaging-below-platform',
      severity: 'error',
      comment:
        'libs/messaging (relay, consumers, the broker port and its kafkajs adapter) knows no process bootstrap: ' +
        'libs/platform boots a service and is handed the broker by the composition root (main.ts).',
      from: { path: '^libs/messaging/' },
      to: { path: ['^libs/platform/', '^@carebridge/platform$'] },
    },
    {
      name: 'platform-below-adapters',
      severity: 'error',
      comment:
        'libs/platform (config, logging, health, metrics, HTTP, the process bootstrap) serves every service ' +
        'without knowing the event store or the broker: a composition root hands them in.',
      from: { path: '^libs/platform/' },
      to: { path: ['^libs/(?:event-store|messaging)/', '^@carebridge/(?:event-store|messaging)$'] },
    },
    {
      name: 'embedded-only-from-composition-roots',
      severity: 'error',
      comment:
        'libs/embedded (PGlite, the in-process bus, the one-process platform) is an adapter set chosen by a ' +
        'composition root: tools/ (npm start), a main.ts, the test harness (libs/testing) and tests. ' +
        'Services and the other libs reach it only through the ports they are given.',
      from: {
        pathNot: [
          '^libs/embedded/',
          '^libs/testing/',
          '^tools/',
          '^bench/',
          '^apps/[^/]+/src/main\\.ts$',
          '^apps/[^/]+/test/',
          '\\.(?:unit|int|e2e)\\.spec\\.ts$',
        ],
      },
      to: { path: ['^libs/embedded/', '^@carebridge/embedded'] },
    },
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'Circular dependency: split the shared part out, or invert the dependency through a port.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      comment:
        'This import does not resolve (a typo, a missing package, or a @carebridge/* alias without a lib). ' +
        'It also guards the rules above: an unresolved alias would slip past their path patterns.',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    // The self-test's deliberately broken tree; tools/lint/check-rules.sh cruises it on its own.
    exclude: { path: '^tools/lint/fixtures/' },
    doNotFollow: { path: 'node_modules' },
    // See type-only imports too: a decider may not even import a type from @nestjs or pg.
    tsPreCompilationDeps: true,
    // Resolves the @carebridge/<lib> aliases (relative to the directory depcruise runs in).
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      mainFields: ['module', 'main', 'types', 'typings'],
      extensions: ['.ts', '.d.ts', '.js', '.cjs', '.mjs', '.json'],
    },
    reporterOptions: {
      text: { highlightFocused: true },
    },
  },
};
