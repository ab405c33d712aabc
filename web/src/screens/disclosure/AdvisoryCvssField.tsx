import { Badge, Group, TextInput } from '@mantine/core';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { liveScore, loadCalculator, SEVERITY_COLOR } from './advisoryCvss';

/** A CVSS vector input with its base score and rating computed as the vector is typed. */
export function AdvisoryCvssField({
  version,
  value,
  onChange,
  error,
  readOnly,
}: {
  version: '3.1' | '4.0';
  value: string;
  onChange: (value: string) => void;
  error?: string;
  readOnly?: boolean;
}) {
  const { t } = useTranslation('vdpAdvisories');
  const [calculator, setCalculator] = useState<Awaited<ReturnType<typeof loadCalculator>> | null>(null);
  useEffect(() => {
    let live = true;
    void loadCalculator().then((loaded) => {
      if (live) setCalculator(loaded);
    });
    return () => {
      live = false;
    };
  }, []);
  const scored = calculator && value.trim() ? liveScore(calculator, version, value) : null;
  const placeholder =
    version === '3.1'
      ? 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H'
      : 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N';
  return (
    <TextInput
      label={t('form.cvss', { version })}
      placeholder={placeholder}
      value={value}
      readOnly={readOnly}
      onChange={(e) => onChange(e.currentTarget.value)}
      error={error}
      ff="monospace"
      description={
        <Group gap={6} component="span" aria-live="polite">
          {scored ? (
            <>
              <span>{t('form.liveScore', { score: scored.score.toFixed(1) })}</span>
              <Badge size="xs" variant="light" color={SEVERITY_COLOR[scored.severity]} component="span">
                {t(`severity.${scored.severity}`)}
              </Badge>
            </>
          ) : value.trim() ? (
            <span>{t('form.incompleteVector')}</span>
          ) : (
            <span>{t('form.cvssHint')}</span>
          )}
        </Group>
      }
    />
  );
}
