import { Select } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { triageApi } from '../../api-disclosure-triage';

type Option = { value: string; label: string };

/**
 * The report an advisory discloses, picked by number or title (`#12 — Stored XSS…`), not typed as an
 * id. Searching asks the inbox (numbers, assets and titles); the chosen report stays listed.
 */
export function AdvisoryReportField({
  value,
  initialLabel,
  onChange,
  error,
  readOnly,
}: {
  value: string;
  initialLabel?: string;
  onChange: (reportId: string) => void;
  error?: string;
  readOnly: boolean;
}) {
  const { t } = useTranslation('vdpAdvisories');
  const [search, setSearch] = useState('');
  const [query] = useDebouncedValue(search.trim().replace(/\s+—.*$/, ''), 250);
  const [options, setOptions] = useState<Option[]>(value ? [{ value, label: initialLabel ?? value }] : []);

  useEffect(() => {
    if (readOnly) return;
    let current = true;
    triageApi
      .reports(query ? { search: query } : {}, 25, null)
      .then((page) => {
        if (!current) return;
        const found = page.items.map((report) => ({
          value: report.id,
          label: `#${report.number} — ${report.title}`,
        }));
        setOptions((previous) => {
          const chosen = previous.filter((o) => o.value === value && !found.some((f) => f.value === value));
          return [...chosen, ...found];
        });
      })
      .catch(() => undefined);
    return () => {
      current = false;
    };
  }, [query, readOnly, value]);

  return (
    <Select
      label={t('form.reportId')}
      description={t('form.reportIdHint')}
      placeholder={t('form.reportPlaceholder')}
      searchable
      clearable
      data={options}
      value={value || null}
      onChange={(next) => onChange(next ?? '')}
      searchValue={search}
      onSearchChange={setSearch}
      filter={({ options: all }) => all}
      nothingFoundMessage="—"
      error={error}
      readOnly={readOnly}
    />
  );
}
