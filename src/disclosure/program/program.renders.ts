import type { AppContext } from '../../core/context.ts';
import type { Locale } from '../../core/i18n/index.ts';
import type { PolicyContext } from '../policy/policy.render.ts';
import { formatSecurityTxt, securityTxtFields, signSecurityTxt } from '../policy/security-txt.ts';
import { type ActiveProgramKey, getActiveProgramKey } from './program.keys.ts';
import type { ProgramSource } from './program.schema.ts';
import { hasPublishedAdvisory } from './program.store.ts';
import { programUrls } from './program.urls.ts';

/** What the three renders need besides the source: the active key and whether advisories are public. */
export type RenderState = { key: ActiveProgramKey | undefined; csaf: boolean };

export async function loadRenderState(ctx: AppContext): Promise<RenderState> {
  const [key, csaf] = await Promise.all([getActiveProgramKey(ctx), hasPublishedAdvisory(ctx.database.db)]);
  return { key, csaf };
}

export function policyContextOf(
  ctx: AppContext,
  version: { version: number; publishedAt: Date },
  state: RenderState,
): PolicyContext {
  return {
    version: version.version,
    publishedAt: version.publishedAt,
    publicUrl: ctx.config.publicUrl,
    encryptionKey: state.key
      ? { url: programUrls(ctx.config.publicUrl).publicKey, fingerprint: state.key.fingerprint }
      : undefined,
  };
}

/** security.txt for `source` at `now`: cleartext-signed with the active key when there is one. */
export async function renderSecurityTxt(
  ctx: AppContext,
  source: ProgramSource,
  state: RenderState,
  now: Date,
): Promise<string> {
  const fields = securityTxtFields({
    source,
    publicUrl: ctx.config.publicUrl,
    now,
    encryptionKeyUrl: state.key ? programUrls(ctx.config.publicUrl).publicKey : undefined,
    csaf: state.csaf,
  });
  const text = formatSecurityTxt(fields, source.companyName);
  return state.key ? signSecurityTxt(text, state.key.privateKey) : text;
}

/** The locale a render is in when none is asked for: the program's default. */
export function localeOrDefault(source: ProgramSource, locale: Locale | undefined): Locale {
  return locale ?? source.defaultLocale;
}
