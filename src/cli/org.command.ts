import type { Command } from 'commander';
import { z } from 'zod';
import { OrganizationSettings, PublicUrl, SecurityContactEmail } from '../core/settings/settings.service.ts';
import { CliError } from './cli-error.ts';
import { loadCliConfig, parseOptions, print, say, withContext } from './runtime.ts';

const SetOptions = z.strictObject({
  name: OrganizationSettings.shape.organizationName.optional(),
  securityContact: SecurityContactEmail.optional(),
  publicUrl: PublicUrl.optional(),
  locale: OrganizationSettings.shape.defaultLocale.optional(),
});

/**
 * `attest org set` and `attest org show`: the organization's facts (name, security contact, public URL,
 * default language) for scripted installs, without a browser. The same facts setup and Settings edit;
 * each change is audited as `settings.updated` by the CLI.
 */
export function registerOrgCommands(program: Command): void {
  const org = program
    .command('org')
    .description("The organization's facts: name, security contact, public URL");

  org
    .command('set')
    .description(
      'Set the organization name, security contact and public URL the trust center, program and mails use',
    )
    .option('--name <name>', 'the organization name visitors see')
    .option('--security-contact <email>', 'the address researchers and customers write to about security')
    .option('--public-url <url>', 'where visitors reach Attest, e.g. https://trust.example.com')
    .option('--locale <locale>', 'the default language: en, es or fr')
    .addHelpText(
      'after',
      '\nA server already running sees the change within seconds. The disclosure program is published\n' +
        'from the admin app (Disclosure → Program) once a security contact is set.',
    )
    .action(async (options: Record<string, unknown>) => {
      const input = parseOptions(SetOptions, options);
      const changes = {
        organizationName: input.name,
        securityContact: input.securityContact,
        publicUrl: input.publicUrl,
        defaultLocale: input.locale,
      };
      if (Object.values(changes).every((value) => value === undefined)) {
        throw new CliError('Nothing to set: give --name, --security-contact, --public-url or --locale.', 2);
      }
      const config = await loadCliConfig();
      await withContext(config, async (ctx) => {
        const [{ systemActor }, { updateOrganization }] = await Promise.all([
          import('../core/http/actor.ts'),
          import('../core/settings/index.ts'),
        ]);
        await ctx.database.db.transaction((tx) => updateOrganization(ctx, tx, systemActor('cli'), changes));
      });
      say('Organization updated.');
    });

  org
    .command('show')
    .description("Print the organization's facts as JSON")
    .action(async () => {
      const config = await loadCliConfig();
      const shown = await withContext(config, async (ctx) => {
        const { getOrganization } = await import('../core/settings/index.ts');
        const { revision: _revision, ...facts } = await getOrganization(ctx, ctx.database.db);
        return facts;
      });
      print(JSON.stringify(shown, null, 2));
    });
}
