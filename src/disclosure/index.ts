import './register.ts';
import type { FastifyPluginAsync } from 'fastify';
import type { AppContext } from '../core/context.ts';
import { advisoryRoutes } from './advisories/advisories.routes.ts';
import { advisorySiteRoutes } from './advisories/advisories.site.ts';
import { githubRoutes } from './channels/github/github.routes.ts';
import { mailIntakeRoutes } from './channels/mail/mail-intake.routes.ts';
import { intakeRoutes } from './intake/intake.routes.ts';
import { intakeSiteRoutes } from './intake/intake.site.ts';
import { policySiteRoutes } from './policy/policy.site.ts';
import { portalSiteRoutes } from './portal/portal.site.ts';
import { programRoutes } from './program/program.routes.ts';
import { rehashReporterEmails } from './reports/reporter-hashes.ts';
import { triageRoutes } from './triage/triage.routes.ts';

/**
 * Vulnerability disclosure program. Two plugins: the API under /api/v1/disclosure (program, intake,
 * triage, advisories, GitHub webhook), and the public pages at the root (policy, security.txt, report
 * form, researcher portal, hall of fame, advisories, CSAF), which share the trust center's layout.
 */
export function disclosureApiPlugin(ctx: AppContext): FastifyPluginAsync {
  return async (app) => {
    // Before serving: lookups by address only match hashes in the current form (see reporter-hashes.ts).
    const hashes = await rehashReporterEmails(ctx);
    if (hashes.rehashed > 0 || hashes.linksRemoved > 0)
      app.log.info(hashes, 'disclosure: reporter e-mail hashes rehashed under the current key');
    if (hashes.unreadable > 0)
      app.log.warn(hashes, 'disclosure: some reporter e-mail hashes could not be rehashed (key missing)');
    await app.register(programRoutes(ctx));
    await app.register(intakeRoutes(ctx));
    await app.register(triageRoutes(ctx));
    await app.register(advisoryRoutes(ctx));
    await app.register(githubRoutes(ctx));
    await app.register(mailIntakeRoutes(ctx));
  };
}

export function disclosureSitePlugin(ctx: AppContext): FastifyPluginAsync {
  return async (app) => {
    await app.register(policySiteRoutes(ctx));
    await app.register(intakeSiteRoutes(ctx));
    await app.register(portalSiteRoutes(ctx));
    await app.register(advisorySiteRoutes(ctx));
  };
}

// For the admin home: counts and onboarding facts, nothing sealed.
export { countReportAttention, programHasRealContact, programPublishedByPerson } from './home.attention.ts';
