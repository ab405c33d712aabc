import { Alert, Anchor, Divider, Text, Title } from '@mantine/core';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useSearchParams } from 'react-router-dom';
import { api, type TotpSetup } from '../api';
import { EmailField, FullNameField } from '../components/AccountFields';
import { AuthLayout } from '../components/AuthLayout';
import { EnrolmentCodeField } from '../components/CodeField';
import { StatusLoader } from '../components/FullPageLoader';
import {
  OrganizationFields,
  type OrganizationValues,
  validateOrganization,
} from '../components/OrganizationFields';
import { NewPasswordField } from '../components/PasswordField';
import { RecoveryCodesView } from '../components/RecoveryCodesView';
import { AuthForm } from '../components/SubmitForm';
import { TotpSecret } from '../components/TotpSecret';
import { currentLocale } from '../i18n';
import { errorMessage, FieldErrors } from '../lib/errors';
import { useSubmit } from '../lib/useSubmit';
import { normalizeCode, validateCode, validateEmail, validatePassword } from '../lib/validation';
import { useSession } from '../session';

type Phase =
  | { kind: 'loading' }
  | { kind: 'done' }
  | { kind: 'error'; error: unknown }
  | { kind: 'form'; totp: TotpSetup }
  | { kind: 'codes'; codes: string[] };

/** First-run: create the owner account, enrol TOTP, show the recovery codes. */
export function SetupPage() {
  const { t } = useTranslation();
  const [params] = useSearchParams();
  const token = params.get('token') ?? '';
  const navigate = useNavigate();
  const { refresh } = useSession();
  const [phase, setPhase] = useState<Phase>({ kind: 'loading' });
  const started = useRef(false);

  const [email, setEmail] = useState('');
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');
  const [organization, setOrganization] = useState<OrganizationValues>({
    name: '',
    publicUrl: '',
    securityContact: '',
  });
  // Until the owner types a contact, suggest security@ their own e-mail's domain.
  const [contactEdited, setContactEdited] = useState(false);
  const suggestedContact = email.includes('@') ? `security@${email.split('@').pop()?.trim()}` : '';
  const shownOrganization = contactEdited
    ? organization
    : { ...organization, securityContact: suggestedContact };

  useEffect(() => {
    if (started.current) return;
    started.current = true;
    (async () => {
      const status = await api.setupStatus();
      if (!status.needed) return setPhase({ kind: 'done' });
      setOrganization((values) => ({ ...values, publicUrl: status.publicUrl ?? window.location.origin }));
      if (!token) return setPhase({ kind: 'error', error: null });
      setPhase({ kind: 'form', totp: await api.setupTotp(token) });
    })().catch((err: unknown) => setPhase({ kind: 'error', error: err }));
  }, [token]);

  const submit = useSubmit(async () => {
    const fields: Record<string, string> = {};
    const emailError = validateEmail(email, t);
    if (emailError) fields.email = emailError;
    if (!name.trim()) fields.name = t('validation.required');
    const passwordError = validatePassword(password, t);
    if (passwordError) fields.password = passwordError;
    const codeError = validateCode(code, t);
    if (codeError) fields.totpCode = codeError;
    Object.assign(fields, validateOrganization(shownOrganization, t));
    if (Object.keys(fields).length > 0) throw new FieldErrors(fields);
    const result = await api.setup({
      token,
      email: email.trim(),
      name: name.trim(),
      password,
      totpCode: normalizeCode(code),
      locale: currentLocale(),
      organization: {
        name: shownOrganization.name.trim(),
        publicUrl: shownOrganization.publicUrl.trim(),
        securityContact: shownOrganization.securityContact.trim(),
      },
    });
    setPhase({ kind: 'codes', codes: result.recoveryCodes });
  });

  const finish = async () => {
    await refresh().catch(() => null);
    navigate('/', { replace: true });
  };

  if (phase.kind === 'loading') {
    return (
      <AuthLayout title={t('setup.title')}>
        <StatusLoader />
      </AuthLayout>
    );
  }
  if (phase.kind === 'done') {
    return (
      <AuthLayout title={t('setup.title')}>
        <Alert color="blue">{t('setup.alreadyDone')}</Alert>
        <Anchor component={Link} to="/login">
          {t('login.goToSignIn')}
        </Anchor>
      </AuthLayout>
    );
  }
  if (phase.kind === 'error') {
    return (
      <AuthLayout title={t('setup.title')}>
        <Alert color="red" role="alert">
          {phase.error ? errorMessage(phase.error, t) : t('setup.missingToken')}
        </Alert>
        <Text size="sm">{t('setup.tokenHelp')}</Text>
      </AuthLayout>
    );
  }
  if (phase.kind === 'codes') {
    return (
      <AuthLayout title={t('setup.title')} wide>
        <RecoveryCodesView codes={phase.codes} onContinue={() => void finish()} />
      </AuthLayout>
    );
  }

  const fe = submit.fieldErrors;
  return (
    <AuthLayout title={t('setup.title')} wide>
      <Text size="sm">{t('setup.intro')}</Text>
      <AuthForm submit={submit} submitLabel={t('setup.submit')}>
        <Title order={2} size="h4">
          {t('setup.accountSection')}
        </Title>
        <EmailField value={email} onChange={(e) => setEmail(e.currentTarget.value)} error={fe.email} />
        <FullNameField value={name} onChange={(e) => setName(e.currentTarget.value)} error={fe.name} />
        <NewPasswordField
          label={t('fields.password')}
          value={password}
          onChange={(e) => setPassword(e.currentTarget.value)}
          error={fe.password}
        />
        <Divider />
        <Title order={2} size="h4">
          {t('setup.organizationSection')}
        </Title>
        <Text size="sm" c="dimmed">
          {t('setup.organizationIntro')}
        </Text>
        <OrganizationFields
          values={shownOrganization}
          onChange={(values) => {
            if (values.securityContact !== shownOrganization.securityContact) setContactEdited(true);
            setOrganization(values);
          }}
          errors={fe}
        />
        <Divider />
        <Title order={2} size="h4">
          {t('setup.mfaSection')}
        </Title>
        <TotpSecret setup={phase.totp} />
        <EnrolmentCodeField
          value={code}
          onChange={(e) => setCode(e.currentTarget.value)}
          error={fe.totpCode ?? fe.code}
        />
      </AuthForm>
    </AuthLayout>
  );
}
