import { Button } from '@mantine/core';
import { type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api';
import { PasswordField } from '../../components/PasswordField';
import { RecoveryCodesView } from '../../components/RecoveryCodesView';
import { Section } from '../../components/Section';
import { SectionForm } from '../../components/SubmitForm';
import { FieldErrors } from '../../lib/errors';
import { useSubmit } from '../../lib/useSubmit';

export function RecoveryCodesSection() {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const [password, setPassword] = useState('');
  const [codes, setCodes] = useState<string[] | null>(null);

  const submit = useSubmit(async () => {
    if (!password) throw new FieldErrors({ password: t('validation.required') });
    const result = await api.regenerateRecoveryCodes(password);
    setPassword('');
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
        <PasswordField
          label={t('fields.confirmWithPassword')}
          description={t('account.recovery.passwordHint')}
          value={password}
          onChange={(e) => setPassword(e.currentTarget.value)}
          error={submit.fieldErrors.password}
        />
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
