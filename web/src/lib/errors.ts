import { notifications } from '@mantine/notifications';
import type { TFunction } from 'i18next';
import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import { NetworkError, ProblemError } from '../api';

/** Client-side validation failure: field name → message. */
export class FieldErrors extends Error {
  constructor(readonly fields: Record<string, string>) {
    super('Invalid form');
    this.name = 'FieldErrors';
  }
}

/** A human message for any error thrown by the API client or the browser. */
export function errorMessage(err: unknown, t: TFunction): string {
  if (err instanceof ProblemError) {
    if (err.detail) return err.detail;
    if (err.title && err.title !== 'about:blank') return err.title;
    return t('errors.status', { status: err.status });
  }
  if (err instanceof NetworkError) return t('errors.network');
  if (err instanceof Error && (err.name === 'NotAllowedError' || err.name === 'AbortError')) {
    return t('errors.webauthnCancelled');
  }
  if (err instanceof Error && err.name === 'InvalidStateError') return t('errors.webauthnDuplicate');
  return t('errors.unexpected');
}

/** Shows an error as a red notification. */
export function useNotifyError(): (err: unknown) => void {
  const { t } = useTranslation();
  return useCallback(
    (err: unknown) => {
      notifications.show({ color: 'red', title: t('errors.title'), message: errorMessage(err, t) });
    },
    [t],
  );
}

export function notifySuccess(message: string): void {
  notifications.show({ color: 'green', message });
}
