import type { Command } from 'commander';
import { z } from 'zod';
import { Email, LocaleField, Name, Password, Role } from '../core/http/fields.ts';
import { CliError } from './cli-error.ts';
import { loadCliConfig, parseOptions, print, say, withContext } from './runtime.ts';

/** An account made here has no password until its owner opens this link; like the setup link, a day. */

const CreateUserOptions = z.strictObject({
  email: Email,
  name: Name,
  role: Role,
  locale: LocaleField.default('en'),
  passwordStdin: z.boolean().default(false),
});

const ResetMfaOptions = z.strictObject({ email: Email });

/** The whole of stdin, less one trailing newline (what `echo` or a file adds), checked like any password. */
async function readPasswordFromStdin(): Promise<string> {
  if (process.stdin.isTTY) {
    throw new CliError(
      '--password-stdin reads the password from a pipe, e.g. printf %s "$PASSWORD" | attest user create …',
      2,
    );
  }
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  const password = Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
  const parsed = Password.safeParse(password);
  if (!parsed.success)
    throw new CliError(`invalid password on stdin: ${parsed.error.issues[0]?.message ?? 'rejected'}`, 2);
  return parsed.data;
}

export function registerUserCommands(program: Command): void {
  const user = program.command('user').description('Manage user accounts');

  user
    .command('create')
    .description(
      'Create a user; prints a one-time link to choose a password unless --password-stdin is given',
    )
    .requiredOption('--email <address>', 'e-mail address (the sign-in name)')
    .requiredOption('--name <name>', 'display name')
    .requiredOption('--role <role>', 'owner, admin, security, compliance, employee or auditor')
    .option('--locale <locale>', 'language of mail and pages: en, es or fr', 'en')
    .option('--password-stdin', 'read the password from standard input instead of printing a link')
    .addHelpText(
      'after',
      '\nStdout carries only the link, so LINK=$(attest user create …) works. Staff roles (all but employee)\nare asked to set up an authenticator app at first sign-in.',
    )
    .action(async (options: Record<string, unknown>) => {
      const input = parseOptions(CreateUserOptions, options);
      const password = input.passwordStdin ? await readPasswordFromStdin() : undefined;
      const config = await loadCliConfig();
      const created = await withContext(config, async (ctx) => {
        const [{ systemActor }, { provisionUser }] = await Promise.all([
          import('../core/http/actor.ts'),
          import('../identity/index.ts'),
        ]);
        return provisionUser(ctx, systemActor('cli'), { ...input, password });
      });
      say(`Created user ${input.email} (${input.role}, id ${created.userId}).`);
      if (input.role !== 'employee')
        say('They will be asked to set up an authenticator app (TOTP) at first sign-in.');
      if (created.setPasswordLink && created.linkExpiresAt) {
        say(
          `Give them this one-time link to choose a password (valid until ${created.linkExpiresAt.toISOString()}):`,
        );
        print(created.setPasswordLink);
      } else {
        say('Password set from stdin.');
      }
    });

  user
    .command('reset-mfa')
    .description('Remove every second factor of a user (lost phone) and end their sessions')
    .requiredOption('--email <address>', 'e-mail address of the user')
    .action(async (options: Record<string, unknown>) => {
      const input = parseOptions(ResetMfaOptions, options);
      const config = await loadCliConfig();
      await withContext(config, async (ctx) => {
        const [{ systemActor }, { findUserIdByEmail, resetUserMfa }] = await Promise.all([
          import('../core/http/actor.ts'),
          import('../identity/index.ts'),
        ]);
        const userId = await findUserIdByEmail(ctx, input.email);
        if (!userId) throw new CliError(`no user has the e-mail ${input.email}`);
        await resetUserMfa(ctx, systemActor('cli'), userId);
      });
      print(
        `Removed every second factor of ${input.email} and ended their sessions; they set one up again at next sign-in.`,
      );
    });
}
