import { Alert } from '@mantine/core';
import { useTranslation } from 'react-i18next';

/** Form-level error, announced to screen readers. */
export function FormError({ message }: { message: string | null }) {
  const { t } = useTranslation();
  if (!message) return null;
  return (
    <Alert color="red" title={t('errors.title')} role="alert">
      {message}
    </Alert>
  );
}
