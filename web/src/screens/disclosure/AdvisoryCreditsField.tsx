import { ActionIcon, Button, Group, NativeSelect, Stack, Text, TextInput } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { CREDIT_TYPES, type Credit, type CreditType } from '../../api-disclosure-advisories';

/** Credits: a name, a role (finder, reporter…) and, for GitHub advisories, a GitHub user name. */
export function AdvisoryCreditsField({
  value,
  onChange,
  readOnly,
}: {
  value: Credit[];
  onChange: (value: Credit[]) => void;
  readOnly?: boolean;
}) {
  const { t } = useTranslation('vdpAdvisories');
  const set = (index: number, next: Credit) => onChange(value.map((c, i) => (i === index ? next : c)));
  return (
    <Stack gap="xs">
      <Text size="sm" fw={500}>
        {t('form.credits')}
      </Text>
      {value.map((credit, index) => (
        <Group
          // biome-ignore lint/suspicious/noArrayIndexKey: rows are edited in place; they have no identity but their position.
          key={index}
          align="flex-end"
          wrap="nowrap"
        >
          <TextInput
            label={t('form.creditName')}
            value={credit.name}
            readOnly={readOnly}
            onChange={(e) => set(index, { ...credit, name: e.currentTarget.value })}
          />
          <NativeSelect
            label={t('form.creditType')}
            value={credit.type}
            disabled={readOnly}
            onChange={(e) => set(index, { ...credit, type: e.currentTarget.value as CreditType })}
            data={CREDIT_TYPES.map((type) => ({ value: type, label: t(`creditType.${type}`) }))}
          />
          <TextInput
            label={t('form.githubLogin')}
            value={credit.githubLogin ?? ''}
            readOnly={readOnly}
            onChange={(e) =>
              set(index, { ...credit, githubLogin: e.currentTarget.value.trim() || undefined })
            }
          />
          {readOnly ? null : (
            <ActionIcon
              variant="subtle"
              color="red"
              mb={4}
              aria-label={t('form.removeCredit', { name: credit.name })}
              onClick={() => onChange(value.filter((_, i) => i !== index))}
            >
              ×
            </ActionIcon>
          )}
        </Group>
      ))}
      {readOnly ? null : (
        <Button
          variant="default"
          size="xs"
          w="fit-content"
          onClick={() => onChange([...value, { name: '', type: 'finder' }])}
        >
          {t('form.addCredit')}
        </Button>
      )}
    </Stack>
  );
}
