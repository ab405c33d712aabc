import { PasswordInput, type PasswordInputProps } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { MIN_PASSWORD_LENGTH } from '../lib/validation';

/**
 * A required password input whose show/hide toggle is labelled in the interface language. By default it asks
 * for the password the user already has (autocomplete "current-password").
 */
export function PasswordField(props: PasswordInputProps) {
  const { t } = useTranslation();
  return (
    <PasswordInput
      withAsterisk={false}
      visibilityToggleButtonProps={{ 'aria-label': t('common.toggleVisibility') }}
      autoComplete="current-password"
      required
      {...props}
    />
  );
}

/** A password being chosen: says how long it must be and lets password managers offer a new one. */
export function NewPasswordField(props: PasswordInputProps) {
  const { t } = useTranslation();
  return (
    <PasswordField
      description={t('validation.passwordHint', { count: MIN_PASSWORD_LENGTH })}
      autoComplete="new-password"
      {...props}
    />
  );
}
