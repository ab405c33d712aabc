import { Alert } from '@mantine/core';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, useLocation } from 'react-router-dom';
import { api } from '../api';
import { EmailField } from '../components/AccountFields';
import { AuthLayout, AuthLink } from '../components/AuthLayout';
import { FullPageLoader } from '../components/FullPageLoader';
import { PasswordField } from '../components/PasswordField';
import { AuthForm } from '../components/SubmitForm';
import { FieldErrors } from '../lib/errors';
import { fromLocation, pathForState, rememberMfaMethods } from '../lib/redirect';
import { useSubmit } from '../lib/useSubmit';
import { validateEmail } from '../lib/validation';
import { useSession } from '../session';

export function LoginPage() {
  const { t } = useTranslation();
  const location = useLocation();
  const from = fromLocation(location);
  const { status, session, refresh } = useSession();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [setupNeeded, setSetupNeeded] = useState(false);

  useEffect(() => {
    api
      .setupStatus()
      .then((s) => setSetupNeeded(s.needed))
      .catch(() => undefined);
  }, []);

  const submit = useSubmit(async () => {
    const fields: Record<string, string> = {};
    const emailError = validateEmail(email, t);
    if (emailError) fields.email = emailError;
    if (!password) fields.password = t('validation.required');
    if (Object.keys(fields).length > 0) throw new FieldErrors(fields);
    const result = await api.login(email.trim(), password);
    rememberMfaMethods(result.methods);
    // The session cookie was rotated: fetch the new session (and CSRF token). The guard below redirects.
    await refresh();
  });

  if (status === 'loading') return <FullPageLoader />;
  if (session) return <Navigate to={pathForState(session.state, from)} state={{ from }} replace />;

  return (
    <AuthLayout title={t('login.title')}>
      {setupNeeded ? <Alert color="blue">{t('login.setupNeeded')}</Alert> : null}
      <AuthForm
        submit={submit}
        submitLabel={t('login.submit')}
        footer={<AuthLink to="/forgot-password">{t('login.forgot')}</AuthLink>}
      >
        <EmailField
          value={email}
          onChange={(e) => setEmail(e.currentTarget.value)}
          error={submit.fieldErrors.email}
        />
        <PasswordField
          label={t('fields.password')}
          value={password}
          onChange={(e) => setPassword(e.currentTarget.value)}
          error={submit.fieldErrors.password}
        />
      </AuthForm>
    </AuthLayout>
  );
}
