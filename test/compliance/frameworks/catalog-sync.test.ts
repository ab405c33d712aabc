import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundledCatalog, type Catalog } from '../../../src/compliance/catalog/index.ts';
import { catalogVersion, syncCatalog } from '../../../src/compliance/frameworks/catalog-sync.ts';
import {
  complianceCatalogState,
  complianceCatalogUpgrades,
  complianceControls,
  complianceFrameworks,
  complianceMappings,
  complianceRequirements,
} from '../../../src/compliance/tables.ts';
import { type Fresh, freshDatabase } from '../fresh-database.ts';

/** A later catalog: one control retitled, one dropped, one mapping gone, one requirement dropped. */
function nextVersion(catalog: Catalog): Catalog {
  const next = structuredClone(catalog) as Catalog;
  const first = next.controls[0];
  if (!first) throw new Error('empty catalog');
  first.title = { ...first.title, en: 'A clearer title' };
  first.mappings = first.mappings.slice(1).length > 0 ? first.mappings.slice(1) : first.mappings;
  next.controls = next.controls.filter((control) => control.id !== next.controls.at(-1)?.id);
  return next;
}

describe('the catalog in the database', () => {
  let fresh: Fresh;
  const catalog = bundledCatalog();
  beforeAll(async () => {
    fresh = await freshDatabase();
  });
  afterAll(() => fresh.close());

  it('loads every framework, requirement, control and mapping once, then does nothing for the same version', async () => {
    const { db } = fresh.database;
    const changes = await syncCatalog(db, catalog);
    expect(changes?.from).toBeNull();
    expect(changes?.added.controls).toHaveLength(catalog.controls.length);
    expect(await db.$count(complianceFrameworks)).toBe(catalog.frameworks.length);
    expect(await db.$count(complianceRequirements)).toBe(
      catalog.frameworks.reduce((sum, framework) => sum + framework.requirements.length, 0),
    );
    expect(await db.$count(complianceControls)).toBe(catalog.controls.length);
    expect(await db.$count(complianceMappings)).toBe(
      catalog.controls.reduce((sum, control) => sum + control.mappings.length, 0),
    );
    const [state] = await db.select().from(complianceCatalogState);
    expect(state?.version).toBe(catalogVersion(catalog));
    expect(await syncCatalog(db, catalog)).toBeNull();
    const frameworks = await db.select().from(complianceFrameworks);
    expect(frameworks.every((framework) => framework.enabled === false)).toBe(true);
  });

  it('upgrades titles and mappings, retires what the new version drops, and keeps the company data', async () => {
    const { db } = fresh.database;
    const first = catalog.controls[0];
    const last = catalog.controls.at(-1);
    if (!first || !last) throw new Error('empty catalog');
    const companyMapping = first.mappings[0];
    if (!companyMapping) throw new Error('no mapping');
    await db
      .update(complianceFrameworks)
      .set({ enabled: true })
      .where(eq(complianceFrameworks.id, 'soc2-2017'));
    await db
      .update(complianceControls)
      .set({ implementationNotes: 'Our notes', applicable: false, notApplicableReason: 'No offices' })
      .where(eq(complianceControls.id, last.id));
    await db
      .update(complianceControls)
      .set({ implementationNotes: 'Branch protection on every repository' })
      .where(eq(complianceControls.id, first.id));

    const next = nextVersion(catalog);
    const changes = await syncCatalog(db, next);
    expect(changes?.from).toBe(catalogVersion(catalog));
    expect(changes?.updated.controls).toEqual([first.id]);
    expect(changes?.retired.controls).toEqual([last.id]);
    const upgrades = await db.select().from(complianceCatalogUpgrades).orderBy(complianceCatalogUpgrades.id);
    expect(upgrades.map((row) => row.fromVersion)).toEqual([null, catalogVersion(catalog)]);
    expect(upgrades[1]?.changes).toMatchObject({
      retired: { controls: [last.id] },
      updated: { controls: [first.id] },
    });

    const [updated] = await db.select().from(complianceControls).where(eq(complianceControls.id, first.id));
    expect(updated?.title.en).toBe('A clearer title');
    expect(updated?.implementationNotes).toBe('Branch protection on every repository');
    const [retired] = await db.select().from(complianceControls).where(eq(complianceControls.id, last.id));
    expect(retired?.retiredAt).not.toBeNull();
    expect(retired?.implementationNotes).toBe('Our notes');
    const mappings = await db
      .select()
      .from(complianceMappings)
      .where(eq(complianceMappings.controlId, first.id));
    if (first.mappings.length > 1) expect(mappings).toHaveLength(first.mappings.length - 1);
    const [soc2] = await db
      .select()
      .from(complianceFrameworks)
      .where(eq(complianceFrameworks.id, 'soc2-2017'));
    expect(soc2?.enabled).toBe(true);

    // Going back revives the retired control with the company's data still on it.
    await syncCatalog(db, catalog);
    const [revived] = await db.select().from(complianceControls).where(eq(complianceControls.id, last.id));
    expect(revived?.retiredAt).toBeNull();
    expect(revived?.notApplicableReason).toBe('No offices');
  });

  it('loads a new version once when several processes start together', async () => {
    const { db } = fresh.database;
    const next = structuredClone(catalog) as Catalog;
    const first = next.controls[0];
    if (!first) throw new Error('empty catalog');
    first.description = { ...first.description, en: 'Said once more, in other words.' };
    const results = await Promise.all([syncCatalog(db, next), syncCatalog(db, next), syncCatalog(db, next)]);
    expect(results.filter((result) => result !== null)).toHaveLength(1);
  });
});
