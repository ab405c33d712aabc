import { Alert, Anchor, Badge, Group, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { api, type Locale, type Settings } from '../api';
import { StatusLoader } from '../components/FullPageLoader';
import { LoadError } from '../components/ListStatus';
import { LocaleSelect } from '../components/LocaleSelect';
import {
  OrganizationFields,
  type OrganizationValues,
  validateOrganization,
} from '../components/OrganizationFields';
import { PageHeader } from '../components/PageHeader';
import { Section } from '../components/Section';
import { SectionForm } from '../components/SubmitForm';
import { FieldErrors, notifySuccess } from '../lib/errors';
import { useLoad } from '../lib/useLoad';
import { useSubmit } from '../lib/useSubmit';

function OrganizationForm({ settings, onSaved }: { settings: Settings; onSaved: (s: Settings) => void }) {
  const { t } = useTranslation();
  const [values, setValues] = useState<OrganizationValues>({
    name: settings.organizationName,
    publicUrl: settings.publicUrl,
    securityContact: settings.securityContact ?? '',
  });
  const [locale, setLocale] = useState<Locale>(settings.defaultLocale);

  const submit = useSubmit(async () => {
    const errors = validateOrganization(values, t);
    if (Object.keys(errors).length > 0) throw new FieldErrors(errors);
    const saved = await api.updateSettings({
      organizationName: values.name.trim(),
      publicUrl: values.publicUrl.trim(),
      securityContact: values.securityContact.trim(),
      defaultLocale: locale,
    });
    onSaved(saved);
    notifySuccess(t('settings.saved'));
  });

  return (
    <Section title={t('settings.organization')} description={t('settings.organizationDescription')}>
      <SectionForm submit={submit} submitLabel={t('common.save')} maw={560}>
        {settings.securityContact ? null : (
          <Alert color="yellow" role="status">
            {t('settings.securityContactMissing')}
          </Alert>
        )}
        <OrganizationFields values={values} onChange={setValues} errors={submit.fieldErrors} />
        <LocaleSelect
          label={t('settings.defaultLocale')}
          description={t('settings.defaultLocaleHint')}
          value={locale}
          onChange={setLocale}
          error={submit.fieldErrors.defaultLocale}
        />
      </SectionForm>
    </Section>
  );
}

export function SettingsPage() {
  const { t } = useTranslation();
  const {
    data: settings,
    setData: setSettings,
    error,
    reload,
  } = useLoad<Settings | null>(api.settings, null);

  return (
    <>
      <PageHeader title={t('settings.title')} description={t('settings.description')} />
      {error ? (
        <LoadError error={error} onRetry={reload} />
      ) : !settings ? (
        <StatusLoader py="xl" />
      ) : (
        <Stack gap="lg" maw={960}>
          <OrganizationForm settings={settings} onSaved={setSettings} />
          <Section title={t('settings.server')}>
            <Stack gap="sm">
              <Group gap="xs">
                <Text size="sm" fw={500}>
                  {t('settings.publicUrl')}
                </Text>
                <Anchor href={settings.publicUrl} size="sm" target="_blank" rel="noreferrer">
                  {settings.publicUrl}
                </Anchor>
              </Group>
              <Group gap="xs">
                <Text size="sm" fw={500}>
                  {t('settings.mailMode')}
                </Text>
                <Badge variant="light" color={settings.mailMode === 'smtp' ? 'green' : 'yellow'}>
                  {t(`settings.mailModes.${settings.mailMode}`)}
                </Badge>
              </Group>
              <Text size="sm" c="dimmed">
                {settings.mailMode === 'smtp' ? t('settings.smtpHint') : t('settings.outboxHint')}
              </Text>
              {settings.mailMode === 'outbox' ? (
                <Anchor component={Link} to="/outbox" size="sm">
                  {t('settings.openOutbox')}
                </Anchor>
              ) : null}
            </Stack>
          </Section>
        </Stack>
      )}
    </>
  );
}
