import { Alert, Text } from '@mantine/core';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, type TotpSetup } from '../api';
import { errorMessage, FieldErrors } from '../lib/errors';
import { useSubmit } from '../lib/useSubmit';
import { normalizeCode, validateCode } from '../lib/validation';
import { EnrolmentCodeField } from './CodeField';
import { StatusLoader } from './FullPageLoader';
import { RecoveryCodesView } from './RecoveryCodesView';
import { StepUpFields, useStepUp } from './StepUpFields';
import { SectionForm } from './SubmitForm';
import { TotpSecret } from './TotpSecret';

/**
 * Authenticator-app enrolment for the signed-in user: secret + QR, code confirmation, then the new
 * recovery codes. `onComplete` runs once the user confirms they saved the codes. With `stepUp`
 * (from the account screen, not the first enrolment after sign-in) it also asks for the password and
 * a current factor, which the server needs to change a factor.
 */
export function TotpEnrolment({
  onComplete,
  onCancel,
  headingOrder = 2,
  stepUp: withStepUp = false,
}: {
  onComplete: () => void;
  onCancel?: () => void;
  headingOrder?: 2 | 3;
  stepUp?: boolean;
}) {
  const stepUp = useStepUp();
  const { t } = useTranslation();
  const [setup, setSetup] = useState<TotpSetup | null>(null);
  const [loadError, setLoadError] = useState<unknown>(null);
  const [codes, setCodes] = useState<string[] | null>(null);
  const [code, setCode] = useState('');
  const started = useRef(false);

  useEffect(() => {
    if (started.current) return;
    started.current = true;
    api
      .totpSetup()
      .then(setSetup)
      .catch((err: unknown) => setLoadError(err));
  }, []);

  const submit = useSubmit(async () => {
    const error = validateCode(code, t);
    if (error) throw new FieldErrors({ code: error });
    const proof = withStepUp ? stepUp.proof(t('validation.required')) : undefined;
    const result = await api.totpConfirm(normalizeCode(code), proof);
    stepUp.reset();
    setCodes(result.recoveryCodes);
  });

  if (codes) return <RecoveryCodesView codes={codes} onContinue={onComplete} headingOrder={headingOrder} />;
  if (loadError) {
    return (
      <Alert color="red" role="alert">
        {errorMessage(loadError, t)}
      </Alert>
    );
  }
  if (!setup) return <StatusLoader />;
  return (
    <SectionForm
      submit={submit}
      submitLabel={t('mfa.verify')}
      onCancel={onCancel}
      intro={
        <>
          <Text size="sm">{t('totp.intro')}</Text>
          <TotpSecret setup={setup} />
        </>
      }
    >
      <EnrolmentCodeField
        value={code}
        onChange={(e) => setCode(e.currentTarget.value)}
        error={submit.fieldErrors.code}
      />
      {withStepUp ? <StepUpFields stepUp={stepUp} errors={submit.fieldErrors} /> : null}
    </SectionForm>
  );
}
