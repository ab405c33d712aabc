import { Badge, SegmentedControl, Stack, Text, Textarea, TextInput } from '@mantine/core';
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { LOCALES, type Locale } from '../../api';
import type { Localized } from '../../api-trust';
import { hasRole, TRUST_ACCESS_MANAGE_ROLES, TRUST_CONTENT_MANAGE_ROLES } from '../../lib/permissions';
import { useUser } from '../../session';

export const PAGE_SIZE = 25;

/** Whether the signed-in user may edit trust-center content and documents. */
export function useCanManageContent(): boolean {
  return hasRole(useUser().role, TRUST_CONTENT_MANAGE_ROLES);
}

/** Whether the signed-in user may decide access requests, revoke grants and edit NDAs and domain lists. */
export function useCanManageAccess(): boolean {
  return hasRole(useUser().role, TRUST_ACCESS_MANAGE_ROLES);
}

/** A localized value in the interface language, else English, else whichever locale has it. */
export function useLocalized(): (value: Localized | Record<string, string> | undefined) => string {
  const { i18n } = useTranslation();
  const lng = (i18n.resolvedLanguage ?? 'en') as Locale;
  return (value) => {
    if (!value) return '';
    const v = value as Record<string, string | undefined>;
    return v[lng] || v.en || Object.values(v).find(Boolean) || '';
  };
}

/** The locales a localized value is written in, as small badges. */
export function LocaleBadges({ value }: { value: Localized }) {
  const { t } = useTranslation();
  const written = LOCALES.filter((l) => value[l]);
  if (written.length === 0) return <Text size="xs">—</Text>;
  return (
    <>
      {written.map((l) => (
        <Badge key={l} size="xs" variant="outline" mr={4} title={t(`languages.${l}`)}>
          {l}
        </Badge>
      ))}
    </>
  );
}

/** A locale switch (a radio group: arrow keys move between languages). */
export function LocaleSwitch({
  value,
  onChange,
  label,
}: {
  value: Locale;
  onChange: (locale: Locale) => void;
  label: string;
}) {
  const { t } = useTranslation();
  const id = useId();
  return (
    <Stack gap={4}>
      <Text size="sm" fw={500} id={id}>
        {label}
      </Text>
      <SegmentedControl
        aria-labelledby={id}
        value={value}
        onChange={(next) => onChange(next as Locale)}
        data={LOCALES.map((l) => ({ value: l, label: t(`languages.${l}`) }))}
      />
    </Stack>
  );
}

/**
 * Text fields per locale: `fields` share one locale switch, so an item's title and body are edited side by
 * side in the same language. Empty text means "not written in this language".
 */
export function LocalizedFields({
  fields,
  errors,
}: {
  fields: {
    name: string;
    label: string;
    value: Localized;
    onChange: (value: Localized) => void;
    multiline?: boolean;
  }[];
  errors?: Record<string, string>;
}) {
  const { t } = useTranslation();
  const [locale, setLocale] = useState<Locale>('en');
  return (
    <Stack gap="sm">
      <LocaleSwitch value={locale} onChange={setLocale} label={t('trust.common.editLanguage')} />
      {fields.map((f) => {
        const props = {
          label: `${f.label} (${t(`languages.${locale}`)})`,
          value: f.value[locale] ?? '',
          error: errors?.[f.name],
          onChange: (e: { currentTarget: { value: string } }) =>
            f.onChange({ ...f.value, [locale]: e.currentTarget.value }),
        };
        return f.multiline ? (
          <Textarea key={f.name} autosize minRows={4} maxRows={14} {...props} />
        ) : (
          <TextInput key={f.name} {...props} />
        );
      })}
    </Stack>
  );
}

/** '' → null, else the trimmed text. */
export function orNull(value: string): string | null {
  const trimmed = value.trim();
  return trimmed === '' ? null : trimmed;
}
