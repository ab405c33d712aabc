import { TextInput } from '@mantine/core';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api';
import { FullNameField } from '../../components/AccountFields';
import { LocaleSelect } from '../../components/LocaleSelect';
import { Section } from '../../components/Section';
import { SectionForm } from '../../components/SubmitForm';
import { setLocale } from '../../i18n';
import { FieldErrors, notifySuccess } from '../../lib/errors';
import { useSubmit } from '../../lib/useSubmit';
import { useSession, useUser } from '../../session';

export function ProfileSection() {
  const { t } = useTranslation();
  const user = useUser();
  const { setUser } = useSession();
  const [name, setName] = useState(user.name);
  const [locale, setLocaleValue] = useState(user.locale);

  // The header's language switcher also saves the preference: keep this form in step with it.
  useEffect(() => setLocaleValue(user.locale), [user.locale]);

  const submit = useSubmit(async () => {
    if (!name.trim()) throw new FieldErrors({ name: t('validation.required') });
    const updated = await api.updateMe({ name: name.trim(), locale });
    setUser(updated);
    if (updated.locale) await setLocale(updated.locale);
    notifySuccess(t('account.profile.saved'));
  });

  return (
    <Section title={t('account.profile.title')}>
      <SectionForm submit={submit} submitLabel={t('common.save')} maw={420}>
        <TextInput label={t('fields.accountEmail')} value={user.email} readOnly variant="filled" />
        <FullNameField
          value={name}
          onChange={(e) => setName(e.currentTarget.value)}
          error={submit.fieldErrors.name}
        />
        <LocaleSelect
          label={t('fields.preferredLanguage')}
          value={locale}
          onChange={setLocaleValue}
          error={submit.fieldErrors.locale}
        />
      </SectionForm>
    </Section>
  );
}
