import { Alert, Text, TextInput } from '@mantine/core';
import { type ReactNode, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useSearchParams } from 'react-router-dom';
import { api, type InvitationLookup } from '../api';
import { FullNameField } from '../components/AccountFields';
import { AuthLayout, AuthLink } from '../components/AuthLayout';
import { StatusLoader } from '../components/FullPageLoader';
import { NewPasswordField } from '../components/PasswordField';
import { AuthForm } from '../components/SubmitForm';
import { errorMessage, FieldErrors } from '../lib/errors';
import { pathForState } from '../lib/redirect';
import { useSubmit } from '../lib/useSubmit';
import { validatePassword } from '../lib/validation';
import { useSession } from '../session';

/** Accept an invitation: choose a name and password; staff roles then enrol an authenticator. */
export function InvitePage() {
  const { t } = useTranslation();
  const [params] = useSearchParams();
  const token = params.get('token') ?? '';
  const navigate = useNavigate();
  const { refresh } = useSession();
  const [invitation, setInvitation] = useState<InvitationLookup | null>(null);
  const [loadError, setLoadError] = useState<unknown>(null);
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');

  useEffect(() => {
    if (!token) return;
    api
      .lookupInvitation(token)
      .then(setInvitation)
      .catch((err: unknown) => setLoadError(err));
  }, [token]);

  const submit = useSubmit(async () => {
    const fields: Record<string, string> = {};
    if (!name.trim()) fields.name = t('validation.required');
    const passwordError = validatePassword(password, t);
    if (passwordError) fields.password = passwordError;
    if (Object.keys(fields).length > 0) throw new FieldErrors(fields);
    const result = await api.acceptInvitation({ token, name: name.trim(), password });
    const session = await refresh().catch(() => null);
    navigate(pathForState(session?.state ?? result.state, '/'), { replace: true });
  });

  let body: ReactNode;
  if (!token || loadError) {
    body = (
      <>
        <Alert color="red" role="alert">
          {token ? errorMessage(loadError, t) : t('invite.missingToken')}
        </Alert>
        <Text size="sm">{t('invite.askAgain')}</Text>
      </>
    );
  } else if (!invitation) {
    body = <StatusLoader />;
  } else {
    body = (
      <AuthForm
        submit={submit}
        submitLabel={t('invite.submit')}
        intro={
          <Text size="sm">
            {t('invite.intro', {
              organization: invitation.organizationName,
              role: t(`roles.${invitation.role}`),
            })}
          </Text>
        }
      >
        <TextInput
          label={t('fields.accountEmail')}
          value={invitation.email}
          readOnly
          variant="filled"
          autoComplete="username"
        />
        <FullNameField
          value={name}
          onChange={(e) => setName(e.currentTarget.value)}
          error={submit.fieldErrors.name}
        />
        <NewPasswordField
          label={t('fields.password')}
          value={password}
          onChange={(e) => setPassword(e.currentTarget.value)}
          error={submit.fieldErrors.password}
        />
      </AuthForm>
    );
  }

  return (
    <AuthLayout title={t('invite.title')}>
      {body}
      <AuthLink to="/login">{t('invite.haveAccount')}</AuthLink>
    </AuthLayout>
  );
}
