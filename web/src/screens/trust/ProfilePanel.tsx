import { Button, ColorInput, FileInput, Group, Image, Stack, Text, TextInput } from '@mantine/core';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Locale } from '../../api';
import { type Localized, type TrustProfile, trustApi } from '../../api-trust';
import { StatusLoader } from '../../components/FullPageLoader';
import { LoadError } from '../../components/ListStatus';
import { LocaleSelect } from '../../components/LocaleSelect';
import { Section } from '../../components/Section';
import { SectionForm } from '../../components/SubmitForm';
import { FieldErrors, notifySuccess, useNotifyError } from '../../lib/errors';
import { useFormat } from '../../lib/format';
import { useLoad } from '../../lib/useLoad';
import { useSubmit } from '../../lib/useSubmit';
import { LocalizedFields, orNull, useCanManageContent } from './shared';

const MAX_LOGO_BYTES = 256 * 1024;

function readDataUrl(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result));
    reader.onerror = () => reject(reader.error);
    reader.readAsDataURL(file);
  });
}

function ProfileForm({ profile, onSaved }: { profile: TrustProfile; onSaved: (p: TrustProfile) => void }) {
  const { t } = useTranslation();
  const canManage = useCanManageContent();
  const notifyError = useNotifyError();
  const [companyName, setCompanyName] = useState(profile.companyName);
  const [summary, setSummary] = useState<Localized>(profile.summary);
  const [contact, setContact] = useState(profile.securityContact ?? '');
  const [defaultLocale, setDefaultLocale] = useState<Locale>(profile.defaultLocale);
  const [brandColor, setBrandColor] = useState(profile.brandColor ?? '');
  const [logoBusy, setLogoBusy] = useState(false);

  const submit = useSubmit(async () => {
    if (!companyName.trim()) throw new FieldErrors({ companyName: t('validation.required') });
    const saved = await trustApi.updateProfile({
      companyName: companyName.trim(),
      summary,
      securityContact: orNull(contact),
      defaultLocale,
      brandColor: orNull(brandColor),
    });
    onSaved(saved);
    notifySuccess(t('trust.profile.saved'));
  });

  const setLogo = async (file: File | null) => {
    if (!file) return;
    if (file.size > MAX_LOGO_BYTES) {
      notifyError(new Error(t('trust.profile.logoTooLarge')));
      return;
    }
    setLogoBusy(true);
    try {
      onSaved(await trustApi.updateProfile({ logo: await readDataUrl(file) }));
      notifySuccess(t('trust.profile.logoSaved'));
    } catch (err) {
      notifyError(err);
    } finally {
      setLogoBusy(false);
    }
  };

  const removeLogo = async () => {
    setLogoBusy(true);
    try {
      onSaved(await trustApi.updateProfile({ logo: null }));
      notifySuccess(t('trust.profile.logoRemoved'));
    } catch (err) {
      notifyError(err);
    } finally {
      setLogoBusy(false);
    }
  };

  // Read-only roles (auditors) see the same fields without a save button.
  const fields = (
    <>
      <TextInput
        label={t('trust.profile.companyName')}
        required
        withAsterisk={false}
        value={companyName}
        onChange={(e) => setCompanyName(e.currentTarget.value)}
        error={submit.fieldErrors.companyName}
        readOnly={!canManage}
      />
      <TextInput
        label={t('trust.profile.securityContact')}
        description={t('trust.profile.securityContactHint')}
        value={contact}
        onChange={(e) => setContact(e.currentTarget.value)}
        error={submit.fieldErrors.securityContact}
        readOnly={!canManage}
      />
      <LocaleSelect
        label={t('trust.profile.defaultLocale')}
        description={t('trust.profile.defaultLocaleHint')}
        value={defaultLocale}
        onChange={setDefaultLocale}
        w={260}
        disabled={!canManage}
      />
      <ColorInput
        label={t('trust.profile.brandColor')}
        description={t('trust.profile.brandColorHint')}
        format="hex"
        swatches={['#0b5cad', '#1a6b35', '#8a4b00', '#6b2fa3', '#b3261e', '#1b1f24']}
        value={brandColor}
        onChange={setBrandColor}
        error={submit.fieldErrors.brandColor}
        readOnly={!canManage}
        w={260}
      />
      <LocalizedFields
        errors={submit.fieldErrors}
        fields={[
          {
            name: 'summary',
            label: t('trust.profile.summary'),
            value: summary,
            onChange: setSummary,
            multiline: true,
          },
        ]}
      />
    </>
  );

  return (
    <Stack gap="lg">
      {canManage ? (
        <SectionForm submit={submit} submitLabel={t('trust.profile.save')} maw={720}>
          {fields}
        </SectionForm>
      ) : (
        <Stack maw={720}>{fields}</Stack>
      )}
      <Stack gap="xs" maw={720}>
        <Text size="sm" fw={500}>
          {t('trust.profile.logo')}
        </Text>
        {profile.logoDataUrl ? (
          <Image src={profile.logoDataUrl} alt={t('trust.profile.logoAlt')} h={64} w="auto" fit="contain" />
        ) : (
          <Text size="sm" c="dimmed">
            {t('trust.profile.noLogo')}
          </Text>
        )}
        {canManage ? (
          <Group align="flex-end">
            <FileInput
              label={t('trust.profile.uploadLogo')}
              description={t('trust.profile.logoHint')}
              accept="image/png,image/jpeg,image/webp,image/svg+xml"
              onChange={(file) => void setLogo(file)}
              disabled={logoBusy}
              clearable={false}
              w={320}
            />
            {profile.logoDataUrl ? (
              <Button variant="default" color="red" onClick={() => void removeLogo()} loading={logoBusy}>
                {t('trust.profile.removeLogo')}
              </Button>
            ) : null}
          </Group>
        ) : null}
      </Stack>
    </Stack>
  );
}

const fetchProfile = () => trustApi.profile();

/** The company profile shown at the top of every public page. */
export function ProfilePanel() {
  const { t } = useTranslation();
  const fmt = useFormat();
  const profile = useLoad<TrustProfile | null>(fetchProfile, null);
  const [key, setKey] = useState(0);
  const onSaved = useCallback((p: TrustProfile) => profile.setData(p), [profile.setData]);
  // Re-mount the form when a fresh profile is loaded from the server (not after our own saves).
  useEffect(() => {
    if (!profile.loading) setKey((k) => k + 1);
  }, [profile.loading]);
  return (
    <Section
      title={t('trust.profile.title')}
      description={
        profile.data
          ? t('trust.profile.updatedAt', { when: fmt.dateTime(profile.data.updatedAt) })
          : t('trust.profile.description')
      }
    >
      {profile.loading && !profile.data ? <StatusLoader py="xl" size="sm" /> : null}
      {profile.error ? <LoadError error={profile.error} onRetry={profile.reload} /> : null}
      {profile.data ? <ProfileForm key={key} profile={profile.data} onSaved={onSaved} /> : null}
    </Section>
  );
}
