import { Alert } from '@mantine/core';
import { type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router-dom';
import { api } from '../api';
import { AuthLayout, AuthLink } from '../components/AuthLayout';
import { NewPasswordField } from '../components/PasswordField';
import { AuthForm } from '../components/SubmitForm';
import { FieldErrors } from '../lib/errors';
import { useSubmit } from '../lib/useSubmit';
import { validatePassword } from '../lib/validation';

export function ResetPasswordPage() {
  const { t } = useTranslation();
  const [params] = useSearchParams();
  const token = params.get('token') ?? '';
  const [password, setPassword] = useState('');
  const [done, setDone] = useState(false);

  const submit = useSubmit(async () => {
    const error = validatePassword(password, t);
    if (error) throw new FieldErrors({ password: error });
    await api.completePasswordReset(token, password);
    setDone(true);
  });

  let body: ReactNode;
  if (!token) {
    body = (
      <Alert color="red" role="alert">
        {t('reset.missingToken')}
      </Alert>
    );
  } else if (done) {
    body = (
      <Alert color="green" role="status">
        {t('reset.done')}
      </Alert>
    );
  } else {
    body = (
      <AuthForm submit={submit} submitLabel={t('reset.submit')}>
        <NewPasswordField
          label={t('fields.newPassword')}
          value={password}
          onChange={(e) => setPassword(e.currentTarget.value)}
          error={submit.fieldErrors.password}
        />
      </AuthForm>
    );
  }

  return (
    <AuthLayout title={t('reset.title')}>
      {body}
      <AuthLink to={token && !done ? '/forgot-password' : '/login'}>
        {token && !done ? t('reset.requestNew') : t('login.goToSignIn')}
      </AuthLink>
    </AuthLayout>
  );
}
