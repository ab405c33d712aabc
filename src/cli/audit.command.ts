import type { Command } from 'commander';
import { createProgress } from './progress.ts';
import { loadCliConfig, print, withContext } from './runtime.ts';

export function registerAuditCommands(program: Command): void {
  const audit = program.command('audit').description('Inspect the hash-chained audit log');

  audit
    .command('verify')
    .description(
      'Check every audit entry against its hash and the one before it; exits 1 if the chain is broken',
    )
    .action(async () => {
      const config = await loadCliConfig();
      const result = await withContext(config, async (ctx) => {
        const [{ recordAudit, verifyAuditChain }, { systemActor }] = await Promise.all([
          import('../audit/index.ts'),
          import('../core/http/actor.ts'),
        ]);
        const progress = createProgress({
          describe: (checked) => `audit verify: ${checked} entries checked…`,
        });
        const verified = await verifyAuditChain(ctx.database.db, {
          onProgress: (checked) => progress.update(checked),
        });
        progress.finish();
        // Like POST /api/v1/audit/verify: that the chain was checked, and what was found, is on record.
        await recordAudit(ctx.database.db, systemActor('cli'), {
          action: 'audit.chain.verified',
          details: { ok: verified.ok, checked: verified.checked },
        });
        return verified;
      });
      if (result.ok) {
        print(`OK: ${result.checked} entries, head ${result.headHash ?? 'none (the log is empty)'}`);
        return;
      }
      print(`BROKEN at entry ${result.firstBrokenSeq}: ${result.reason}`);
      process.exitCode = 1;
    });
}
