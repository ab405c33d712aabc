import { Button } from '@mantine/core';
import { type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api';
import { RecoveryCodesView } from '../../components/RecoveryCodesView';
import { Section } from '../../components/Section';
import { StepUpFields, useStepUp } from '../../components/StepUpFields';
import { SectionForm } from '../../components/SubmitForm';
import { useSubmit } from '../../lib/useSubmit';

export function RecoveryCodesSection() {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const stepUp = useStepUp();
  const [codes, setCodes] = useState<string[] | null>(null);

  const submit = useSubmit(async () => {
    const result = await api.regenerateRecoveryCodes(stepUp.proof(t('validation.required')));
    stepUp.reset();
    setOpen(false);
    setCodes(result.recoveryCodes);
  });

  let body: ReactNode;
  if (codes) {
    body = <RecoveryCodesView codes={codes} headingOrder={3} onContinue={() => setCodes(null)} />;
  } else if (open) {
    body = (
      <SectionForm
        submit={submit}
        submitLabel={t('account.recovery.generate')}
        maw={420}
        onCancel={() => setOpen(false)}
      >
        <StepUpFields stepUp={stepUp} errors={submit.fieldErrors} />
      </SectionForm>
    );
  } else {
    body = (
      <Button variant="default" onClick={() => setOpen(true)}>
        {t('account.recovery.regenerate')}
      </Button>
    );
  }

  return (
    <Section title={t('account.recovery.title')} description={t('account.recovery.description')}>
      {body}
    </Section>
  );
}
