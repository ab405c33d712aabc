import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api';
import { NewPasswordField, PasswordField } from '../../components/PasswordField';
import { Section } from '../../components/Section';
import { SectionForm } from '../../components/SubmitForm';
import { FieldErrors, notifySuccess } from '../../lib/errors';
import { useSubmit } from '../../lib/useSubmit';
import { validatePassword } from '../../lib/validation';
import { useSession } from '../../session';

export function PasswordSection() {
  const { t } = useTranslation();
  const { refresh } = useSession();
  const [currentPassword, setCurrentPassword] = useState('');
  const [newPassword, setNewPassword] = useState('');

  const submit = useSubmit(async () => {
    const fields: Record<string, string> = {};
    if (!currentPassword) fields.currentPassword = t('validation.required');
    const error = validatePassword(newPassword, t);
    if (error) fields.newPassword = error;
    if (Object.keys(fields).length > 0) throw new FieldErrors(fields);
    await api.changePassword(currentPassword, newPassword);
    setCurrentPassword('');
    setNewPassword('');
    notifySuccess(t('account.password.changed'));
    // The server may rotate the session (and its CSRF token) after a password change.
    await refresh().catch(() => null);
  });

  return (
    <Section title={t('account.password.title')} description={t('account.password.description')}>
      <SectionForm submit={submit} submitLabel={t('account.password.submit')} maw={420}>
        <PasswordField
          label={t('fields.currentPassword')}
          value={currentPassword}
          onChange={(e) => setCurrentPassword(e.currentTarget.value)}
          error={submit.fieldErrors.currentPassword}
        />
        <NewPasswordField
          label={t('fields.newPassword')}
          value={newPassword}
          onChange={(e) => setNewPassword(e.currentTarget.value)}
          error={submit.fieldErrors.newPassword}
        />
      </SectionForm>
    </Section>
  );
}
