import { TextInput, type TextInputProps } from '@mantine/core';
import { useTranslation } from 'react-i18next';

/** The "Email" field of the sign-in, setup, password-reset and invite forms. */
export function EmailField(props: TextInputProps) {
  const { t } = useTranslation();
  return (
    <TextInput
      label={t('fields.email')}
      type="email"
      autoComplete="username"
      required
      withAsterisk={false}
      {...props}
    />
  );
}

/** The "Full name" field of the setup, invitation and profile forms. */
export function FullNameField(props: TextInputProps) {
  const { t } = useTranslation();
  return (
    <TextInput label={t('fields.fullName')} autoComplete="name" required withAsterisk={false} {...props} />
  );
}
