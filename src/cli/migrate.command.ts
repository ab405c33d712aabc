import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { sql } from 'drizzle-orm';
import type { Database } from '../core/db/index.ts';
import { describeDatabase, loadCliConfig, print, say, withDatabase } from './runtime.ts';

type JournalEntry = { tag: string; when: number };

export type MigrationReport = {
  /** Tags applied by this run, oldest first. */
  applied: string[];
  /** How many migrations the code knows in all. */
  known: number;
  /** The database was migrated by a newer Attest: it holds migrations this code does not have. */
  newerThanCode: boolean;
};

async function readJournal(): Promise<JournalEntry[]> {
  const { migrationsFolder } = await import('../core/db/index.ts');
  const journal = JSON.parse(readFileSync(path.join(migrationsFolder, 'meta/_journal.json'), 'utf8')) as {
    entries: JournalEntry[];
  };
  return journal.entries;
}

/** The newest migration drizzle recorded (its journal `when`), 0 before the first. */
async function findLastAppliedMillis(database: Database): Promise<number> {
  const table = (await database.db.execute(
    sql`select to_regclass('drizzle.__drizzle_migrations') as name`,
  )) as unknown as {
    rows: { name: string | null }[];
  };
  if (!table.rows[0]?.name) return 0;
  const last = (await database.db.execute(
    sql`select max(created_at) as at from drizzle.__drizzle_migrations`,
  )) as unknown as {
    rows: { at: string | number | null }[];
  };
  return Number(last.rows[0]?.at ?? 0);
}

/** Applies pending migrations (the same as at server start) and says which ones it applied. */
export async function migrateWithReport(database: Database): Promise<MigrationReport> {
  const { migrateDatabase } = await import('../core/db/index.ts');
  const journal = await readJournal();
  const before = await findLastAppliedMillis(database);
  await migrateDatabase(database);
  const after = await findLastAppliedMillis(database);
  return {
    applied: journal.filter((entry) => entry.when > before && entry.when <= after).map((entry) => entry.tag),
    known: journal.length,
    newerThanCode: journal.every((entry) => entry.when < after),
  };
}

export function describeMigrations(report: MigrationReport): string {
  if (report.applied.length === 0) return `Database schema is up to date (${report.known} migrations).`;
  const noun = report.applied.length === 1 ? 'migration' : 'migrations';
  return `Applied ${report.applied.length} ${noun}: ${report.applied.join(', ')}.`;
}

export function registerMigrateCommand(program: Command): void {
  program
    .command('migrate')
    .description('Apply pending database migrations (the server also does this at start)')
    .action(async () => {
      const config = await loadCliConfig();
      await withDatabase(config, async (database) => {
        const report = await migrateWithReport(database);
        if (report.applied.length > 0) {
          const [{ recordAudit }, { systemActor }] = await Promise.all([
            import('../audit/index.ts'),
            import('../core/http/actor.ts'),
          ]);
          await recordAudit(database.db, systemActor('cli'), {
            action: 'system.database.migrated',
            details: { applied: report.applied },
          });
        }
        say(`Database: ${describeDatabase(config)}`);
        print(describeMigrations(report));
        if (report.newerThanCode) {
          say('Note: this database was migrated by a newer version of Attest; run that version (or newer).');
        }
      });
    });
}
