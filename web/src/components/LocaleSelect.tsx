import { NativeSelect, type NativeSelectProps } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { LOCALES, type Locale } from '../api';
import { isLocale } from '../i18n';

/**
 * A native select of the interface languages, each named in the current one. With `defaultLabel`, a first
 * choice of '' stands for "no preference" (the organization's default).
 */
export function LocaleSelect<V extends Locale | ''>({
  value,
  onChange,
  defaultLabel,
  ...props
}: Omit<NativeSelectProps, 'value' | 'onChange' | 'data'> & {
  value: V;
  onChange: (value: V) => void;
  defaultLabel?: string;
}) {
  const { t } = useTranslation();
  const locales = LOCALES.map((l) => ({ value: l, label: t(`languages.${l}`) }));
  return (
    <NativeSelect
      {...props}
      value={value}
      onChange={(e) => {
        const next = e.currentTarget.value;
        if (isLocale(next) || (defaultLabel !== undefined && next === '')) onChange(next as V);
      }}
      data={defaultLabel === undefined ? locales : [{ value: '', label: defaultLabel }, ...locales]}
    />
  );
}
