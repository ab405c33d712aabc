import { TextInput } from '@mantine/core';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { validateEmail } from '../lib/validation';

export type OrganizationValues = { name: string; publicUrl: string; securityContact: string };

/** Field errors for the organization's facts, keyed as the API names them. */
export function validateOrganization(values: OrganizationValues, t: TFunction): Record<string, string> {
  const errors: Record<string, string> = {};
  if (!values.name.trim()) errors.organizationName = t('validation.required');
  if (!/^https?:\/\/[^\s/]+/.test(values.publicUrl.trim())) errors.publicUrl = t('settings.invalidUrl');
  const contactError = validateEmail(values.securityContact, t);
  if (contactError) errors.securityContact = contactError;
  return errors;
}

/** The organization's name, public URL and security contact: asked at setup, edited in Settings. */
export function OrganizationFields({
  values,
  onChange,
  errors,
}: {
  values: OrganizationValues;
  onChange: (values: OrganizationValues) => void;
  errors: Record<string, string | undefined>;
}) {
  const { t } = useTranslation();
  return (
    <>
      <TextInput
        label={t('settings.organizationName')}
        required
        withAsterisk={false}
        autoComplete="organization"
        value={values.name}
        onChange={(e) => onChange({ ...values, name: e.currentTarget.value })}
        error={errors.organizationName}
      />
      <TextInput
        label={t('settings.publicUrlField')}
        description={t('settings.publicUrlHint')}
        required
        withAsterisk={false}
        type="url"
        autoComplete="url"
        value={values.publicUrl}
        onChange={(e) => onChange({ ...values, publicUrl: e.currentTarget.value })}
        error={errors.publicUrl}
      />
      <TextInput
        label={t('settings.securityContact')}
        description={t('settings.securityContactHint')}
        required
        withAsterisk={false}
        type="email"
        autoComplete="email"
        placeholder="security@…"
        value={values.securityContact}
        onChange={(e) => onChange({ ...values, securityContact: e.currentTarget.value })}
        error={errors.securityContact}
      />
    </>
  );
}
