import { z } from 'zod';
import { Email, Id, LocaleField } from '../../core/http/fields.ts';
import { ProgramSource } from './program.schema.ts';

/** Request and response shapes of the program API (the source itself is program.schema.ts). */

export const ProgramDraftView = z.object({
  source: ProgramSource,
  updatedAt: z.string(),
  updatedBy: z.string().nullable(),
  /** The version the public sees now, to tell the editor whether the draft differs. */
  publishedVersion: z.number().int(),
  publishedSource: ProgramSource,
});

export const PublishedView = z.object({ version: z.number().int(), publishedAt: z.string() });

export const VersionListView = z.object({
  items: z.array(
    z.object({ version: z.number().int(), publishedAt: z.string(), publishedBy: z.string().nullable() }),
  ),
});

export const VersionView = PublishedView.extend({ source: ProgramSource });

export const VersionParams = z.strictObject({ version: z.coerce.number().int().min(1).max(1_000_000) });

export const PreviewQuery = z.strictObject({
  locale: LocaleField.optional(),
  render: z.enum(['html', 'markdown', 'securitytxt']).default('html'),
});

export const PolicyMarkdownQuery = z.strictObject({ locale: LocaleField.optional() });

export const GenerateKeyBody = z.strictObject({
  /** Days until the key expires; null for a key that never expires. Default two years. */
  expiresInDays: z.number().int().min(30).max(3650).nullable().default(730),
  /** The user id's name; default "<company> Security". */
  name: z.string().trim().min(1).max(200).optional(),
  /** The user id's address; default the program's first e-mail contact. */
  email: Email.optional(),
});

export const ImportKeyBody = z.strictObject({
  armoredKey: z.string().min(1).max(100_000),
  passphrase: z.string().min(1).max(1000).optional(),
});

export const KeyView = z.object({
  id: Id,
  fingerprint: z.string(),
  userIds: z.array(z.string()),
  algorithm: z.string(),
  expiresAt: z.string().nullable(),
  active: z.boolean(),
  createdAt: z.string(),
});

export const KeyParams = z.strictObject({ keyId: Id });
