import type { Command } from 'commander';
import { loadCliConfig, print, say, withContext } from './runtime.ts';

export function registerKeysCommands(program: Command): void {
  const keys = program.command('keys').description('Manage the data-encryption keys');

  keys
    .command('reseal')
    .description('Re-encrypt every encrypted value and file under the current key (after a rotation)')
    .addHelpText(
      'after',
      '\nRotation: put the new key in ATTEST_SECRET_KEY, the old one in ATTEST_PREVIOUS_SECRET_KEYS, run\n' +
        '`attest keys reseal`, then drop the old key once it reports nothing left under it.',
    )
    .action(async () => {
      const config = await loadCliConfig();
      const counts = await withContext(config, async (ctx) => {
        const [{ recordAudit }, { systemActor }, { resealIdentitySecrets }, { resealDocumentFiles }] =
          await Promise.all([
            import('../audit/index.ts'),
            import('../core/http/actor.ts'),
            import('../identity/index.ts'),
            import('../trust/index.ts'),
          ]);
        const identity = await resealIdentitySecrets(ctx);
        const documents = await resealDocumentFiles(ctx);
        const { resealOutbox } = await import('../core/mail/index.ts');
        const { outboxDir } = await import('../core/mail/mail.routes.ts');
        const outbox = await resealOutbox(outboxDir(ctx), ctx.keyring);
        const details = {
          keyId: ctx.keyring.current.id,
          totpSecrets: identity.resealed,
          documentFiles: documents.resealed,
          outboxMessages: outbox.resealed,
        };
        await ctx.database.db.transaction((tx) =>
          recordAudit(tx, systemActor('cli'), { action: 'system.keys.resealed', details }),
        );
        return details;
      });
      say(`Current key id: ${counts.keyId}.`);
      print(
        `Re-encrypted ${counts.totpSecrets} TOTP secrets, ${counts.documentFiles} document files and ` +
          `${counts.outboxMessages} outbox messages.`,
      );
    });
}
