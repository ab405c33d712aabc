import { ActionIcon, Button, Fieldset, Group, Stack, Text, TextInput } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { AffectedProduct, VersionRange } from '../../api-disclosure-advisories';

const emptyRange: VersionRange = { introduced: '0' };
export const emptyProduct = (): AffectedProduct => ({
  name: '',
  purl: 'pkg:',
  ranges: [{ ...emptyRange }],
  versions: [],
});

/** The affected products: one row per package (name, purl), each with version ranges and single versions. */
export function AdvisoryProductsField({
  value,
  onChange,
  errors,
  readOnly,
}: {
  value: AffectedProduct[];
  onChange: (value: AffectedProduct[]) => void;
  errors: Record<string, string>;
  readOnly?: boolean;
}) {
  const { t } = useTranslation('vdpAdvisories');
  const set = (index: number, next: AffectedProduct) =>
    onChange(value.map((p, i) => (i === index ? next : p)));
  return (
    <Stack gap="sm">
      <Text size="sm" fw={500}>
        {t('form.affected')}
      </Text>
      {value.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('form.noProducts')}
        </Text>
      ) : null}
      {value.map((product, index) => (
        <Fieldset
          // biome-ignore lint/suspicious/noArrayIndexKey: rows are edited in place; they have no identity but their position.
          key={index}
          legend={product.name || t('form.productN', { n: index + 1 })}
          disabled={readOnly}
        >
          <Stack gap="xs">
            <Group grow align="flex-start">
              <TextInput
                label={t('form.productName')}
                required
                value={product.name}
                onChange={(e) => set(index, { ...product, name: e.currentTarget.value })}
              />
              <TextInput
                label={t('form.purl')}
                description={t('form.purlHint')}
                required
                ff="monospace"
                value={product.purl}
                error={errors.purl}
                onChange={(e) => set(index, { ...product, purl: e.currentTarget.value })}
              />
            </Group>
            {product.ranges.map((range, r) => (
              <Group
                // biome-ignore lint/suspicious/noArrayIndexKey: rows are edited in place; they have no identity but their position.
                key={r}
                align="flex-end"
                wrap="nowrap"
              >
                <TextInput
                  label={t('form.introduced')}
                  description={r === 0 ? t('form.introducedHint') : undefined}
                  value={range.introduced}
                  onChange={(e) =>
                    set(index, {
                      ...product,
                      ranges: product.ranges.map((x, i) =>
                        i === r ? { ...x, introduced: e.currentTarget.value } : x,
                      ),
                    })
                  }
                />
                <TextInput
                  label={t('form.fixed')}
                  value={range.fixed ?? ''}
                  onChange={(e) =>
                    set(index, {
                      ...product,
                      ranges: product.ranges.map((x, i) =>
                        i === r ? { ...x, fixed: e.currentTarget.value || undefined } : x,
                      ),
                    })
                  }
                />
                <ActionIcon
                  variant="subtle"
                  color="red"
                  mb={4}
                  aria-label={t('form.removeRange')}
                  onClick={() => set(index, { ...product, ranges: product.ranges.filter((_, i) => i !== r) })}
                >
                  ×
                </ActionIcon>
              </Group>
            ))}
            <TextInput
              label={t('form.singleVersions')}
              description={t('form.singleVersionsHint')}
              value={product.versions.join(', ')}
              onChange={(e) =>
                set(index, {
                  ...product,
                  versions: e.currentTarget.value
                    .split(',')
                    .map((v) => v.trim())
                    .filter(Boolean),
                })
              }
            />
            {readOnly ? null : (
              <Group>
                <Button
                  size="xs"
                  variant="default"
                  onClick={() => set(index, { ...product, ranges: [...product.ranges, { ...emptyRange }] })}
                >
                  {t('form.addRange')}
                </Button>
                <Button
                  size="xs"
                  variant="subtle"
                  color="red"
                  onClick={() => onChange(value.filter((_, i) => i !== index))}
                >
                  {t('form.removeProduct')}
                </Button>
              </Group>
            )}
          </Stack>
        </Fieldset>
      ))}
      {errors.affected ? (
        <Text size="sm" c="red">
          {errors.affected}
        </Text>
      ) : null}
      {readOnly ? null : (
        <Button
          variant="default"
          size="xs"
          w="fit-content"
          onClick={() => onChange([...value, emptyProduct()])}
        >
          {t('form.addProduct')}
        </Button>
      )}
    </Stack>
  );
}
