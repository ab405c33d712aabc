import { TextInput, type TextInputProps } from '@mantine/core';
import { useTranslation } from 'react-i18next';

/** A required one-time code input (TOTP or recovery code) that password managers and phones recognise. */
export function CodeField({ numeric = true, ...props }: TextInputProps & { numeric?: boolean }) {
  return (
    <TextInput
      withAsterisk={false}
      autoComplete="one-time-code"
      inputMode={numeric ? 'numeric' : 'text'}
      spellCheck={false}
      autoCapitalize="off"
      required
      {...props}
    />
  );
}

/** The "Authentication code" that confirms a newly added authenticator app, with a hint on where to find it. */
export function EnrolmentCodeField(props: TextInputProps) {
  const { t } = useTranslation();
  return <CodeField label={t('fields.authCode')} description={t('totp.codeHint')} {...props} />;
}
