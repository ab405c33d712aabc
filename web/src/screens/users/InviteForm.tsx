import { SimpleGrid } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, type Invitation, type Locale, type Role } from '../../api';
import { EmailField } from '../../components/AccountFields';
import { LocaleSelect } from '../../components/LocaleSelect';
import { RoleSelect } from '../../components/RoleSelect';
import { Section } from '../../components/Section';
import { SectionForm } from '../../components/SubmitForm';
import { FieldErrors, notifySuccess } from '../../lib/errors';
import { useSubmit } from '../../lib/useSubmit';
import { validateEmail } from '../../lib/validation';

/** Invite someone by email with a role; the message's language defaults to the organization's. */
export function InviteForm({ onInvited }: { onInvited: (invitation: Invitation) => void }) {
  const { t } = useTranslation();
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<Role>('employee');
  const [locale, setLocale] = useState<Locale | ''>('');

  const submit = useSubmit(async () => {
    const error = validateEmail(email, t);
    if (error) throw new FieldErrors({ email: error });
    const invitation = await api.invite({ email: email.trim(), role, ...(locale ? { locale } : {}) });
    notifySuccess(t('invitations.sent', { email: invitation.email }));
    setEmail('');
    onInvited(invitation);
  });

  return (
    <Section title={t('invitations.formTitle')} description={t('invitations.formDescription')}>
      <SectionForm submit={submit} submitLabel={t('invitations.submit')}>
        <SimpleGrid cols={{ base: 1, md: 3 }}>
          <EmailField
            autoComplete="off"
            value={email}
            onChange={(e) => setEmail(e.currentTarget.value)}
            error={submit.fieldErrors.email}
          />
          <RoleSelect value={role} onChange={setRole} error={submit.fieldErrors.role} />
          <LocaleSelect
            label={t('invitations.language')}
            value={locale}
            onChange={setLocale}
            defaultLabel={t('invitations.orgDefault')}
            error={submit.fieldErrors.locale}
          />
        </SimpleGrid>
      </SectionForm>
    </Section>
  );
}
