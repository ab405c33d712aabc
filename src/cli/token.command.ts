import type { Command } from 'commander';
import { z } from 'zod';
import { Name, Role } from '../core/http/fields.ts';
import { loadCliConfig, parseOptions, print, say, withContext } from './runtime.ts';

/** The same bounds as POST /api/v1/identity/tokens. */
const CreateTokenOptions = z.strictObject({
  name: Name,
  role: Role,
  expiresDays: z.coerce.number().int().min(1).max(365).default(90),
});

export function registerTokenCommands(program: Command): void {
  const token = program.command('token').description('Manage API tokens');

  token
    .command('create')
    .description('Create an API token for one role; prints only the token on stdout')
    .requiredOption('--name <name>', 'what the token is for (shown in the token list and the audit log)')
    .requiredOption('--role <role>', 'owner, admin, security, compliance, employee or auditor')
    .option('--expires-days <days>', 'days until the token expires, 1 to 365', '90')
    .addHelpText(
      'after',
      '\nExample: TOKEN=$(attest token create --name ci --role auditor --expires-days 30)',
    )
    .action(async (options: Record<string, unknown>) => {
      const input = parseOptions(CreateTokenOptions, options);
      const config = await loadCliConfig();
      const created = await withContext(config, async (ctx) => {
        const [{ systemActor }, { createApiToken }] = await Promise.all([
          import('../core/http/actor.ts'),
          import('../identity/index.ts'),
        ]);
        return createApiToken(ctx, systemActor('cli'), {
          name: input.name,
          role: input.role,
          expiresInDays: input.expiresDays,
        });
      });
      say(
        `Created API token "${created.name}" (role ${created.role}, id ${created.id}, expires ${created.expiresAt}). ` +
          'It is shown once: store it now.',
      );
      print(created.token);
    });
}
