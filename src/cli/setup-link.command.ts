import type { Command } from 'commander';
import { CliError } from './cli-error.ts';
import { loadCliConfig, print, say, withContext } from './runtime.ts';

/**
 * `attest setup-link`: a fresh one-time owner setup link (24 h) for an install that has no owner yet,
 * built on the configured public URL. The older unused links stop working, as at each start.
 */
export function registerSetupLinkCommand(program: Command): void {
  program
    .command('setup-link')
    .description('Print a new one-time link to create the owner account (only while Attest has no owner)')
    .addHelpText(
      'after',
      '\nThe link uses ATTEST_PUBLIC_URL. On the embedded database, stop the server first (or restart it:\n' +
        'each start prints a fresh link too).',
    )
    .action(async () => {
      const config = await loadCliConfig();
      const link = await withContext(config, async (ctx) => {
        const { issueSetupLink } = await import('../identity/index.ts');
        return issueSetupLink(ctx);
      });
      if (!link) {
        throw new CliError(
          'Attest already has an owner: sign in instead, or ask an owner for an invitation ' +
            '(an owner who lost access: attest user reset-mfa / a password reset from the sign-in page).',
          1,
        );
      }
      say('A new one-time link to create the owner account (valid 24 h; older links no longer work):');
      print(link);
    });
}
