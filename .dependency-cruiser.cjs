/**
 * Import rules of the architecture (docs/architecture.md), checked by `npm run check:imports` (part of
 * `npm run check`, so CI runs it). Domains: src/<domain>/ for identity, audit, home, trust, disclosure
 * (compliance and monitoring will join). The shared kernel is src/core/. src/app.ts, src/server.ts,
 * src/cli.ts and src/cli/ are the composition root: they may import any domain's index.
 */
const DOMAINS = '(audit|identity|home|trust|disclosure|compliance|monitoring)';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'core-imports-no-domain',
      comment: 'The shared kernel holds machinery only; domains register their content into it (mail, i18n).',
      severity: 'error',
      from: { path: '^src/core/' },
      to: { path: `^src/(${DOMAINS.slice(1, -1)}|cli)/|^src/(app|server|cli)\\.ts$`, pathNot: '^src/audit/' },
    },
    {
      name: 'core-imports-no-audit',
      comment:
        'Known exceptions: the kernel’s own admin routes (organization settings, failed jobs) write to the audit ' +
        'log, and bootstrap starts the audit chainer with every context. The audit log is kernel machinery every domain writes to; moving src/audit/ into src/core/audit/ ' +
        '(or handing recordAudit over through AppContext) removes them. No other kernel file may import audit.',
      severity: 'error',
      from: { path: '^src/core/', pathNot: '^src/core/(settings/index|jobs/jobs\\.routes|bootstrap)\\.ts$' },
      to: { path: '^src/audit/' },
    },
    {
      name: 'domain-through-index',
      comment: 'A domain reaches another domain only through its index.ts, the only public surface.',
      severity: 'error',
      from: { path: `^src/${DOMAINS}/` },
      to: { path: `^src/${DOMAINS}/`, pathNot: ['^src/$1/', `^src/${DOMAINS}/index\\.ts$`] },
    },
    {
      name: 'no-cycles-between-domains',
      comment:
        'Domains form a directed graph: a cycle that leaves a domain and comes back couples them both ways.',
      severity: 'error',
      from: { path: `^src/${DOMAINS}/` },
      to: { circular: true, via: { pathNot: '^src/$1/' } },
    },
    {
      name: 'web-imports-no-server',
      comment:
        'The admin app talks to the server over HTTP only. Types generated from /api/openapi.json go to ' +
        'web/src/generated/, which is web code like the rest: it may import anything web-only, nothing from src/.',
      severity: 'error',
      from: { path: '^web/' },
      to: { path: '^(src|test|bench|bin)/' },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      from: { path: '^(src|web/src)/' },
      to: { couldNotResolve: true, dependencyTypesNot: ['core'] },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(node_modules|web/dist)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      extensions: ['.ts', '.tsx', '.js', '.mjs', '.json'],
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
    },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
