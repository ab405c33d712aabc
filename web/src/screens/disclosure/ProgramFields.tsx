import {
  Checkbox,
  Group,
  NumberInput,
  SimpleGrid,
  Stack,
  Switch,
  Text,
  Textarea,
  TextInput,
} from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { LOCALES, type Locale } from '../../api';
import type { Localized, ProgramSource } from '../../api-disclosure-program';
import { LocaleSelect } from '../../components/LocaleSelect';
import { Section } from '../../components/Section';

/** Applies a change to a copy of the draft (the editor keeps the source immutable). */
export type EditSource = (change: (draft: ProgramSource) => void) => void;

export type FieldsProps = {
  source: ProgramSource;
  edit: EditSource;
  /** The language the localized texts are being written in. */
  locale: Locale;
  readOnly: boolean;
};

/** One text of `value` in `locale`, as a one-line input or a text area. */
export function LocalizedInput({
  label,
  value,
  locale,
  onChange,
  readOnly,
  multiline,
}: {
  label: string;
  value: Localized;
  locale: Locale;
  onChange: (next: Localized) => void;
  readOnly: boolean;
  multiline?: boolean;
}) {
  const { t } = useTranslation();
  const props = {
    label: `${label} (${t(`languages.${locale}`)})`,
    value: value[locale] ?? '',
    readOnly,
    onChange: (e: { currentTarget: { value: string } }) =>
      onChange({ ...value, [locale]: e.currentTarget.value }),
  };
  return multiline ? <Textarea autosize minRows={3} maxRows={14} {...props} /> : <TextInput {...props} />;
}

/** Whole numbers only; an emptied field keeps the previous value. */
function whole(value: string | number, previous: number): number {
  const n = typeof value === 'number' ? value : Number.parseInt(value, 10);
  return Number.isFinite(n) ? Math.round(n) : previous;
}

export function ProgramGeneralFields({ source, edit, readOnly }: FieldsProps) {
  const { t } = useTranslation('vdpProgram');
  const { t: tc } = useTranslation();
  return (
    <Section title={t('editor.general.title')}>
      <Stack maw={720}>
        <TextInput
          label={t('editor.general.companyName')}
          description={t('editor.general.companyNameHint')}
          value={source.companyName}
          readOnly
        />
        <LocaleSelect
          label={t('editor.general.defaultLocale')}
          description={t('editor.general.defaultLocaleHint')}
          value={source.defaultLocale}
          disabled={readOnly}
          w={260}
          onChange={(value) =>
            edit((d) => {
              d.defaultLocale = value;
            })
          }
        />
        <Checkbox.Group
          label={t('editor.general.preferredLanguages')}
          value={source.preferredLanguages}
          onChange={(values) =>
            edit((d) => {
              d.preferredLanguages = LOCALES.filter((l) => values.includes(l));
            })
          }
        >
          <Group mt="xs">
            {LOCALES.map((l) => (
              <Checkbox key={l} value={l} label={tc(`languages.${l}`)} disabled={readOnly} />
            ))}
          </Group>
        </Checkbox.Group>
        <Switch
          label={t('editor.general.reserveScopeDecision')}
          checked={source.reserveScopeDecision}
          disabled={readOnly}
          onChange={(e) => {
            const checked = e.currentTarget.checked;
            edit((d) => {
              d.reserveScopeDecision = checked;
            });
          }}
        />
      </Stack>
    </Section>
  );
}

export function ProgramTextFields({ source, edit, locale, readOnly }: FieldsProps) {
  const { t } = useTranslation('vdpProgram');
  const texts = ['introduction', 'reportingGuidance', 'safeHarbor'] as const;
  return (
    <Section
      title={t('editor.texts.title')}
      description={t('editor.texts.placeholders', {
        company: '{{companyName}}',
        days: '{{responseBusinessDays}}',
        deadline: '{{disclosureDeadlineDays}}',
      })}
    >
      <Stack maw={720}>
        {texts.map((name) => (
          <LocalizedInput
            key={name}
            label={t(`editor.texts.${name}`)}
            value={source[name]}
            locale={locale}
            readOnly={readOnly}
            multiline
            onChange={(next) =>
              edit((d) => {
                d[name] = next;
              })
            }
          />
        ))}
      </Stack>
    </Section>
  );
}

export function ProgramTimingFields({ source, edit, readOnly }: FieldsProps) {
  const { t } = useTranslation('vdpProgram');
  const severities = ['critical', 'high', 'medium', 'low'] as const;
  return (
    <Section title={t('editor.timing.title')}>
      <Stack maw={720}>
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <NumberInput
            label={t('editor.timing.responseBusinessDays')}
            min={1}
            max={30}
            value={source.responseBusinessDays}
            readOnly={readOnly}
            onChange={(value) =>
              edit((d) => {
                d.responseBusinessDays = whole(value, d.responseBusinessDays);
              })
            }
          />
          <NumberInput
            label={t('editor.timing.disclosureDeadlineDays')}
            min={1}
            max={365}
            value={source.disclosureDeadlineDays}
            readOnly={readOnly}
            onChange={(value) =>
              edit((d) => {
                d.disclosureDeadlineDays = whole(value, d.disclosureDeadlineDays);
              })
            }
          />
        </SimpleGrid>
        <Text size="sm" fw={500}>
          {t('editor.timing.fixTargets')}
        </Text>
        <SimpleGrid cols={{ base: 2, sm: 4 }}>
          {severities.map((severity) => (
            <NumberInput
              key={severity}
              label={t(`editor.timing.${severity}`)}
              min={1}
              max={365}
              value={source.fixTargetDays[severity]}
              readOnly={readOnly}
              onChange={(value) =>
                edit((d) => {
                  d.fixTargetDays[severity] = whole(value, d.fixTargetDays[severity]);
                })
              }
            />
          ))}
        </SimpleGrid>
        <TextInput
          label={t('editor.timing.timeZone')}
          description={t('editor.timing.timeZoneHint')}
          value={source.timeZone}
          readOnly={readOnly}
          maw={320}
          onChange={(e) => {
            const value = e.currentTarget.value;
            edit((d) => {
              d.timeZone = value;
            });
          }}
        />
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <TextInput
            label={t('editor.timing.holidaysCountry')}
            description={t('editor.timing.holidaysCountryHint')}
            value={source.holidays.country ?? ''}
            readOnly={readOnly}
            maxLength={2}
            onChange={(e) => {
              const value = e.currentTarget.value.trim().toUpperCase();
              edit((d) => {
                d.holidays.country = value === '' ? null : value;
              });
            }}
          />
          <TextInput
            label={t('editor.timing.holidaysRegion')}
            description={t('editor.timing.holidaysRegionHint')}
            value={source.holidays.region ?? ''}
            readOnly={readOnly}
            maxLength={10}
            onChange={(e) => {
              const value = e.currentTarget.value.trim().toUpperCase();
              edit((d) => {
                d.holidays.region = value === '' ? null : value;
              });
            }}
          />
        </SimpleGrid>
      </Stack>
    </Section>
  );
}

/** `2026-05-01T00:00:00Z` ↔ the `2026-05-01` a date input holds (dates are UTC midnights). */
const dateOf = (iso: string | null) => (iso ? iso.slice(0, 10) : '');

export function ProgramSecurityTxtFields({ source, edit, readOnly }: FieldsProps) {
  const { t } = useTranslation('vdpProgram');
  const options = source.securityTxt;
  return (
    <Section title={t('editor.securityTxt.title')}>
      <Stack maw={720}>
        <Switch
          label={t('editor.securityTxt.autoRenew')}
          checked={options.autoRenew}
          disabled={readOnly}
          onChange={(e) => {
            const checked = e.currentTarget.checked;
            edit((d) => {
              d.securityTxt.autoRenew = checked;
            });
          }}
        />
        {options.autoRenew ? (
          <NumberInput
            label={t('editor.securityTxt.expiresDays')}
            min={1}
            max={365}
            maw={320}
            value={options.expiresDays}
            readOnly={readOnly}
            onChange={(value) =>
              edit((d) => {
                d.securityTxt.expiresDays = whole(value, d.securityTxt.expiresDays);
              })
            }
          />
        ) : (
          <TextInput
            type="date"
            label={t('editor.securityTxt.fixedExpires')}
            description={t('editor.securityTxt.fixedExpiresHint')}
            value={dateOf(options.fixedExpires)}
            readOnly={readOnly}
            maw={320}
            onChange={(e) => {
              const value = e.currentTarget.value;
              edit((d) => {
                d.securityTxt.fixedExpires = value ? `${value}T00:00:00Z` : null;
              });
            }}
          />
        )}
        <TextInput
          type="url"
          label={t('editor.securityTxt.hiringUrl')}
          value={options.hiringUrl ?? ''}
          readOnly={readOnly}
          onChange={(e) => {
            const value = e.currentTarget.value.trim();
            edit((d) => {
              d.securityTxt.hiringUrl = value === '' ? null : value;
            });
          }}
        />
      </Stack>
    </Section>
  );
}
