import { z } from 'zod';
import { Role } from '../core/http/fields.ts';
import type { ListedUserRow } from './users.store.ts';

export const UserView = z.object({
  id: z.uuid(),
  email: z.string(),
  name: z.string(),
  role: Role,
  status: z.enum(['active', 'disabled']),
  locale: z.enum(['en', 'es', 'fr']),
  mfaEnrolled: z.boolean(),
  createdAt: z.string(),
  lastLoginAt: z.string().nullable(),
});
export type UserView = z.infer<typeof UserView>;

export function toUserView(user: ListedUserRow): UserView {
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    role: user.role as UserView['role'],
    status: user.status as UserView['status'],
    locale: user.locale as UserView['locale'],
    mfaEnrolled: user.totpEnabledAt !== null,
    createdAt: user.createdAt.toISOString(),
    lastLoginAt: user.lastLoginAt?.toISOString() ?? null,
  };
}

export const SessionStateView = z.enum(['active', 'mfa_required', 'mfa_enrolment_required']);
export const TotpEnrolmentView = z.object({
  secret: z.string(),
  otpauthUrl: z.string(),
  qrDataUrl: z.string(),
});
export const RecoveryCodesView = z.object({ recoveryCodes: z.array(z.string()) });
