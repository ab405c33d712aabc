import type { TFunction } from 'i18next';

export const MIN_PASSWORD_LENGTH = 12;

export function validateEmail(value: string, t: TFunction): string | null {
  const v = value.trim();
  if (!v) return t('validation.required');
  return /^[^\s@]+@[^\s@]+$/.test(v) ? null : t('validation.email');
}

export function validatePassword(value: string, t: TFunction): string | null {
  return value.length < MIN_PASSWORD_LENGTH
    ? t('validation.passwordLength', { count: MIN_PASSWORD_LENGTH })
    : null;
}

/** Six-digit authenticator code (spaces allowed, as some apps display "123 456"). */
export function validateCode(value: string, t: TFunction): string | null {
  const v = value.replace(/\s/g, '');
  if (!v) return t('validation.required');
  return /^\d{6,8}$/.test(v) ? null : t('validation.code');
}

export function normalizeCode(value: string): string {
  return value.replace(/\s/g, '');
}
