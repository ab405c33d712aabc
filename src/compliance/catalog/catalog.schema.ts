import { z } from 'zod';

/** The shapes of catalog/frameworks/*.yaml and catalog/controls/*.yaml, checked when the catalog loads. */

const Text = z.string().trim().min(1).max(600);
export const Localized = z.strictObject({ en: Text, es: Text, fr: Text });
export type Localized = z.infer<typeof Localized>;

const Slug = z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/);
/** An official reference as written by the standard: `A.5.1`, `CC6.1`, `164.308(a)(1)(ii)(A)`, `Art. 32`, `11 CCR 7011`. */
export const RequirementId = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9.() ]{0,39}$/);

export const Requirement = z.strictObject({
  id: RequirementId,
  group: Slug,
  title: Localized,
  description: Localized,
  /** HIPAA: a standard or one of its implementation specifications (`parent` names the standard). */
  kind: z.enum(['standard', 'implementation-specification']).optional(),
  status: z.enum(['required', 'addressable']).optional(),
  parent: RequirementId.optional(),
  /** SOC 2: points of focus, in our words; AICPA does not number them, so the ids (`pf-1`…) are ours. */
  pointsOfFocus: z
    .array(z.strictObject({ id: z.string().regex(/^pf-\d{1,2}$/), title: Localized }))
    .min(1)
    .optional(),
});
export type Requirement = z.infer<typeof Requirement>;

export const Framework = z.strictObject({
  id: Slug,
  version: z.string().min(1).max(120),
  publisher: z.string().min(1).max(120),
  name: Localized,
  description: Localized,
  groups: z.array(z.strictObject({ id: Slug, title: Localized })).min(1),
  requirements: z.array(Requirement).min(1),
});
export type Framework = z.infer<typeof Framework>;

/** How a control relates to a requirement, read as "the control is <relation> the requirement" (NIST IR 8477). */
export const Relation = z.enum(['equal', 'subset', 'superset', 'intersect']);
export type Relation = z.infer<typeof Relation>;

export const Mapping = z.strictObject({
  framework: Slug,
  requirement: RequirementId,
  relation: Relation,
  rationale: z.string().trim().min(10).max(300),
});
export type Mapping = z.infer<typeof Mapping>;

export const Control = z.strictObject({
  id: z.string().regex(/^[A-Z]{2,4}-\d{2}$/),
  title: Localized,
  description: Localized,
  /** What proves the control works, and how many days a piece of it stays current. */
  evidence: z
    .array(z.strictObject({ name: Localized, freshnessDays: z.number().int().min(1).max(1096) }))
    .min(1),
  mappings: z.array(Mapping).min(1),
});
export type Control = z.infer<typeof Control>;

export const ControlFamilyFile = z.strictObject({
  family: z.strictObject({ id: Slug, title: Localized }),
  controls: z.array(Control).min(1),
});

export const UncoveredFile = z.strictObject({
  uncovered: z.array(
    z.strictObject({
      framework: Slug,
      requirement: RequirementId,
      reason: z.string().trim().min(10).max(400),
    }),
  ),
});
export type Uncovered = z.infer<typeof UncoveredFile>['uncovered'][number];
