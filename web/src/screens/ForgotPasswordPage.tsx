import { Alert, Text } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api';
import { EmailField } from '../components/AccountFields';
import { AuthLayout, AuthLink } from '../components/AuthLayout';
import { AuthForm } from '../components/SubmitForm';
import { FieldErrors } from '../lib/errors';
import { useSubmit } from '../lib/useSubmit';
import { validateEmail } from '../lib/validation';

export function ForgotPasswordPage() {
  const { t } = useTranslation();
  const [email, setEmail] = useState('');
  const [sent, setSent] = useState(false);

  const submit = useSubmit(async () => {
    const error = validateEmail(email, t);
    if (error) throw new FieldErrors({ email: error });
    await api.requestPasswordReset(email.trim());
    setSent(true);
  });

  return (
    <AuthLayout title={t('forgot.title')}>
      {sent ? (
        <Alert color="green" role="status">
          {t('forgot.sent', { email: email.trim() })}
        </Alert>
      ) : (
        <AuthForm
          submit={submit}
          submitLabel={t('forgot.submit')}
          intro={<Text size="sm">{t('forgot.intro')}</Text>}
        >
          <EmailField
            value={email}
            onChange={(e) => setEmail(e.currentTarget.value)}
            error={submit.fieldErrors.email}
          />
        </AuthForm>
      )}
      <AuthLink to="/login">{t('login.backToSignIn')}</AuthLink>
    </AuthLayout>
  );
}
