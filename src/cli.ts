import { readFileSync } from 'node:fs';
import { Command, CommanderError, Help } from 'commander';
import { registerAuditCommands } from './cli/audit.command.ts';
import { registerBackupCommand } from './cli/backup.command.ts';
import { registerCatalogCommands } from './cli/catalog.command.ts';
import { CliError } from './cli/cli-error.ts';
import { registerEvidenceCommands } from './cli/evidence.command.ts';
import { registerKeysCommands } from './cli/keys.command.ts';
import { registerMigrateCommand } from './cli/migrate.command.ts';
import { registerOrgCommands } from './cli/org.command.ts';
import { registerRestoreCommand } from './cli/restore.command.ts';
import { assertDatabaseFree, loadCliConfig } from './cli/runtime.ts';
import { registerSetupLinkCommand } from './cli/setup-link.command.ts';
import { registerTokenCommands } from './cli/token.command.ts';
import { registerUserCommands } from './cli/user.command.ts';
import { Problem } from './core/http/problem.ts';

// Read here rather than through core/bootstrap, which loads the database drivers: `--help` stays quick.
const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
  version: string;
};
const defaultHelp = new Help();

/** `user create`, not `create`: the top-level help lists every command a user can type. */
function commandPath(command: Command): string {
  const names: string[] = [];
  for (let at: Command | null = command; at?.parent; at = at.parent) names.unshift(at.name());
  return names.join(' ');
}

let serving = false;

const program = new Command()
  .name('attest')
  .description('Attest: trust center, compliance automation and vulnerability disclosure in one server.')
  .version(version)
  // Usage errors throw (exit code 2 below) instead of commander exiting with 1.
  .exitOverride()
  .showHelpAfterError('(add --help for usage)')
  .configureHelp({
    visibleCommands(command) {
      const visible = defaultHelp.visibleCommands(command);
      if (command.parent) return visible;
      // A group's own `help` subcommand would repeat the root's.
      const leaves = (group: Command) =>
        defaultHelp.visibleCommands(group).filter((child) => child.name() !== 'help');
      return visible.flatMap((child) => (child.commands.length > 0 ? leaves(child) : [child]));
    },
    subcommandTerm(command) {
      const term = defaultHelp.subcommandTerm(command);
      return command.parent?.parent ? `${commandPath(command.parent)} ${term}` : term;
    },
  })
  .addHelpText(
    'after',
    '\nConfiguration comes from environment variables, among them:\n' +
      '  PORT                port to listen on (default 3000)\n' +
      '  ATTEST_PUBLIC_URL   the address people use, in links and mails (default http://localhost:PORT)\n' +
      '  ATTEST_DATA_DIR     where the embedded database, files and key live (default ./data)\n' +
      '  DATABASE_URL        a PostgreSQL server instead of the embedded database\n' +
      '  ATTEST_SECRET_KEY   the data-encryption key (default: <data dir>/secret.key)\n' +
      'All of them: docs/configuration.md.\n' +
      'Exit codes: 0 done, 1 failed, 2 bad arguments or configuration.',
  );

program
  .command('serve')
  .description('Start the server (migrates the database first)')
  .action(async () => {
    const config = await loadCliConfig();
    assertDatabaseFree(config);
    serving = true;
    const { serve } = await import('./server.ts');
    await serve(config);
  });

registerMigrateCommand(program);
registerSetupLinkCommand(program);
registerOrgCommands(program);
registerUserCommands(program);
registerTokenCommands(program);
registerAuditCommands(program);
registerBackupCommand(program);
registerRestoreCommand(program);
registerKeysCommands(program);
registerCatalogCommands(program);
registerEvidenceCommands(program);

function report(error: unknown): number {
  // Commander has already printed its message (or the help, or the version).
  if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
  if (error instanceof CliError) {
    for (const line of error.message.split('\n')) process.stderr.write(`error: ${line}\n`);
    return error.exitCode;
  }
  // A service refused the request (duplicate e-mail, role not grantable…): its detail says why.
  if (error instanceof Problem) {
    process.stderr.write(`error: ${error.detail}\n`);
    return 1;
  }
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`error: ${message.split('\n')[0]}\n`);
  if (process.env.LOG_LEVEL === 'debug' || process.env.LOG_LEVEL === 'trace') console.error(error);
  else process.stderr.write('(set LOG_LEVEL=debug for details)\n');
  return 1;
}

try {
  await program.parseAsync(process.argv);
} catch (error) {
  process.exitCode = report(error);
  serving = false;
}
// One-shot commands have closed what they opened; this only guards against a stray handle.
if (!serving) setTimeout(() => process.exit(), 2000).unref();
