import type { Command } from 'commander';
import { loadCliConfig, print, withContext } from './runtime.ts';

/**
 * `attest evidence verify`: walks the compliance evidence ledger against its hashes and head record; exits 1
 * naming the first altered or missing item. The check itself is audited, like `attest audit verify`.
 */
export function registerEvidenceCommands(program: Command): void {
  const evidence = program.command('evidence').description('The compliance evidence ledger');

  evidence
    .command('verify')
    .description(
      'Check every evidence item against its hash and the one before it; exits 1 naming the first altered or missing item',
    )
    .action(async () => {
      const config = await loadCliConfig();
      const result = await withContext(config, async (ctx) => {
        const [{ verifyEvidenceLedger }, { recordAudit }, { systemActor }] = await Promise.all([
          import('../compliance/index.ts'),
          import('../audit/index.ts'),
          import('../core/http/actor.ts'),
        ]);
        const verified = await verifyEvidenceLedger(ctx.database.db);
        await recordAudit(ctx.database.db, systemActor('cli'), {
          action: 'compliance.evidence.verified',
          details: { ok: verified.ok, checked: verified.checked, firstBrokenSeq: verified.firstBrokenSeq },
        });
        return verified;
      });
      if (result.ok) {
        print(
          `OK: ${result.checked} evidence items, head ${result.headHash ?? 'none (the ledger is empty)'}`,
        );
        return;
      }
      const id = result.firstBrokenId ? ` (${result.firstBrokenId})` : '';
      print(`BROKEN at evidence item ${result.firstBrokenSeq}${id}: ${result.reason}`);
      process.exitCode = 1;
    });
}
