import { Button, Divider, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { browserSupportsWebAuthn, startAuthentication } from '@simplewebauthn/browser';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, useLocation } from 'react-router-dom';
import { api } from '../api';
import { AuthLayout, AuthLink } from '../components/AuthLayout';
import { CodeField } from '../components/CodeField';
import { FullPageLoader } from '../components/FullPageLoader';
import { AuthForm } from '../components/SubmitForm';
import { errorMessage, FieldErrors } from '../lib/errors';
import { fromLocation, pathForState, recallMfaMethods } from '../lib/redirect';
import { useSubmit } from '../lib/useSubmit';
import { normalizeCode, validateCode } from '../lib/validation';
import { useSession } from '../session';

const LOW_RECOVERY_CODES = 3;

/** Second sign-in step: authenticator code, recovery code or passkey. */
export function MfaPage() {
  const { t } = useTranslation();
  const location = useLocation();
  const from = fromLocation(location);
  const { status, session, refresh, logout } = useSession();
  const methods = useMemo(() => recallMfaMethods(), []);
  const canUsePasskey = methods.includes('webauthn') && browserSupportsWebAuthn();
  const [mode, setMode] = useState<'totp' | 'recovery'>(methods.includes('totp') ? 'totp' : 'recovery');
  const [code, setCode] = useState('');
  const [passkeyBusy, setPasskeyBusy] = useState(false);
  const [passkeyError, setPasskeyError] = useState<string | null>(null);

  const submit = useSubmit(async () => {
    let result: { remainingRecoveryCodes?: number };
    if (mode === 'totp') {
      const error = validateCode(code, t);
      if (error) throw new FieldErrors({ code: error });
      result = await api.loginTotp(normalizeCode(code));
    } else {
      if (!code.trim()) throw new FieldErrors({ code: t('validation.required') });
      result = await api.loginRecovery(code.trim());
    }
    const remaining = result.remainingRecoveryCodes;
    if (typeof remaining === 'number' && remaining <= LOW_RECOVERY_CODES) {
      notifications.show({
        color: 'yellow',
        title: t('mfa.lowCodesTitle'),
        message: t('mfa.lowCodes', { count: remaining }),
        autoClose: false,
      });
    }
    await refresh();
  });

  const signInWithPasskey = async () => {
    setPasskeyError(null);
    setPasskeyBusy(true);
    try {
      const optionsJSON = await api.loginWebauthnOptions();
      const response = await startAuthentication({ optionsJSON });
      await api.loginWebauthn(response);
      await refresh();
    } catch (err) {
      setPasskeyError(errorMessage(err, t));
    } finally {
      setPasskeyBusy(false);
    }
  };

  if (status === 'loading') return <FullPageLoader />;
  if (!session) return <Navigate to="/login" replace />;
  if (session.state !== 'mfa_required') return <Navigate to={pathForState(session.state, from)} replace />;

  const switchMode = (next: 'totp' | 'recovery') => {
    setMode(next);
    setCode('');
    submit.reset();
  };

  return (
    <AuthLayout title={t('mfa.title')}>
      <Text size="sm">{mode === 'totp' ? t('mfa.totpIntro') : t('mfa.recoveryIntro')}</Text>
      <AuthForm submit={submit} submitLabel={t('mfa.verify')} error={submit.error ?? passkeyError}>
        <CodeField
          key={mode}
          label={mode === 'totp' ? t('fields.authCode') : t('fields.recoveryCode')}
          numeric={mode === 'totp'}
          data-autofocus
          value={code}
          onChange={(e) => setCode(e.currentTarget.value)}
          error={submit.fieldErrors.code}
        />
      </AuthForm>
      <Divider label={t('mfa.otherWays')} labelPosition="center" />
      <Stack gap="xs">
        {mode === 'totp' && methods.includes('recovery') ? (
          <Button variant="default" onClick={() => switchMode('recovery')}>
            {t('mfa.useRecovery')}
          </Button>
        ) : null}
        {mode === 'recovery' && methods.includes('totp') ? (
          <Button variant="default" onClick={() => switchMode('totp')}>
            {t('mfa.useTotp')}
          </Button>
        ) : null}
        {canUsePasskey ? (
          <Button variant="default" onClick={() => void signInWithPasskey()} loading={passkeyBusy}>
            {t('mfa.usePasskey')}
          </Button>
        ) : null}
      </Stack>
      <AuthLink onClick={() => void logout()}>{t('mfa.cancel')}</AuthLink>
    </AuthLayout>
  );
}
