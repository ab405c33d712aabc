import { Button, Card, Group, NativeSelect, Stack, Switch, Text, TextInput } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ASSET_KINDS, type AssetKind, CONTACT_KINDS, type ContactKind } from '../../api-disclosure-program';
import { Section } from '../../components/Section';
import { type FieldsProps, LocalizedInput } from './ProgramFields';

/** One item of an editable list: its fields, and a Remove button for those who may edit. */
function ListItem({
  children,
  onRemove,
  readOnly,
}: {
  children: ReactNode;
  onRemove: () => void;
  readOnly: boolean;
}) {
  const { t } = useTranslation('vdpProgram');
  return (
    <Card withBorder padding="sm">
      <Stack gap="xs">
        {children}
        {readOnly ? null : (
          <Group justify="flex-end">
            <Button size="xs" variant="subtle" color="red" onClick={onRemove}>
              {t('editor.remove')}
            </Button>
          </Group>
        )}
      </Stack>
    </Card>
  );
}

function AddButton({ label, onClick, readOnly }: { label: string; onClick: () => void; readOnly: boolean }) {
  if (readOnly) return null;
  return (
    <Group>
      <Button variant="default" size="sm" onClick={onClick}>
        {label}
      </Button>
    </Group>
  );
}

export function ProgramAssetsList({ source, edit, locale, readOnly }: FieldsProps) {
  const { t } = useTranslation('vdpProgram');
  return (
    <Section title={t('editor.assets.title')} description={t('editor.assets.description')}>
      <Stack maw={720}>
        {source.assets.length === 0 ? (
          <Text size="sm" c="dimmed">
            {t('editor.assets.empty')}
          </Text>
        ) : null}
        {source.assets.map((asset, index) => (
          <ListItem
            // Items have no id; the position is the identity while editing.
            // biome-ignore lint/suspicious/noArrayIndexKey: see above
            key={index}
            readOnly={readOnly}
            onRemove={() =>
              edit((d) => {
                d.assets.splice(index, 1);
              })
            }
          >
            <Group align="flex-end" wrap="wrap">
              <TextInput
                label={t('editor.assets.identifier')}
                value={asset.identifier}
                readOnly={readOnly}
                style={{ flex: 1, minWidth: 220 }}
                onChange={(e) => {
                  const value = e.currentTarget.value;
                  edit((d) => {
                    if (d.assets[index]) d.assets[index].identifier = value;
                  });
                }}
              />
              <NativeSelect
                label={t('editor.assets.kind')}
                value={asset.kind}
                disabled={readOnly}
                data={ASSET_KINDS.map((kind) => ({ value: kind, label: t(`editor.assets.kinds.${kind}`) }))}
                onChange={(e) => {
                  const value = e.currentTarget.value as AssetKind;
                  edit((d) => {
                    if (d.assets[index]) d.assets[index].kind = value;
                  });
                }}
              />
              <Switch
                label={t('editor.assets.inScope')}
                checked={asset.inScope}
                disabled={readOnly}
                mb={8}
                onChange={(e) => {
                  const checked = e.currentTarget.checked;
                  edit((d) => {
                    if (d.assets[index]) d.assets[index].inScope = checked;
                  });
                }}
              />
            </Group>
            <LocalizedInput
              label={t('editor.assets.assetDescription')}
              value={asset.description}
              locale={locale}
              readOnly={readOnly}
              onChange={(next) =>
                edit((d) => {
                  if (d.assets[index]) d.assets[index].description = next;
                })
              }
            />
          </ListItem>
        ))}
        <AddButton
          label={t('editor.assets.add')}
          readOnly={readOnly}
          onClick={() =>
            edit((d) => {
              d.assets.push({ identifier: '', kind: 'domain', inScope: true, description: {} });
            })
          }
        />
      </Stack>
    </Section>
  );
}

export function ProgramCategoriesList({ source, edit, locale, readOnly }: FieldsProps) {
  const { t } = useTranslation('vdpProgram');
  return (
    <Section title={t('editor.categories.title')} description={t('editor.categories.description')}>
      <Stack maw={720}>
        {source.outOfScopeCategories.map((category, index) => (
          <ListItem
            // biome-ignore lint/suspicious/noArrayIndexKey: items have no id; the position is the identity
            key={index}
            readOnly={readOnly}
            onRemove={() =>
              edit((d) => {
                d.outOfScopeCategories.splice(index, 1);
              })
            }
          >
            <LocalizedInput
              label={t('editor.categories.label')}
              value={category.label}
              locale={locale}
              readOnly={readOnly}
              onChange={(next) =>
                edit((d) => {
                  if (d.outOfScopeCategories[index]) d.outOfScopeCategories[index].label = next;
                })
              }
            />
            <Group grow wrap="wrap">
              <TextInput
                label={t('editor.categories.key')}
                value={category.key}
                readOnly={readOnly}
                onChange={(e) => {
                  const value = e.currentTarget.value;
                  edit((d) => {
                    if (d.outOfScopeCategories[index]) d.outOfScopeCategories[index].key = value;
                  });
                }}
              />
              <TextInput
                label={t('editor.categories.vrtId')}
                value={category.vrtId ?? ''}
                readOnly={readOnly}
                onChange={(e) => {
                  const value = e.currentTarget.value.trim();
                  edit((d) => {
                    if (d.outOfScopeCategories[index]) d.outOfScopeCategories[index].vrtId = value || null;
                  });
                }}
              />
            </Group>
          </ListItem>
        ))}
        <AddButton
          label={t('editor.categories.add')}
          readOnly={readOnly}
          onClick={() =>
            edit((d) => {
              d.outOfScopeCategories.push({ key: '', vrtId: null, label: {} });
            })
          }
        />
      </Stack>
    </Section>
  );
}

/** Rules of engagement or promises: one localized line each. */
export function ProgramLinesList({
  source,
  edit,
  locale,
  readOnly,
  list,
}: FieldsProps & { list: 'rulesOfEngagement' | 'promises' }) {
  const { t } = useTranslation('vdpProgram');
  const keys = list === 'promises' ? 'promises' : 'rules';
  return (
    <Section title={t(`editor.${keys}.title`)}>
      <Stack maw={720}>
        {source[list].map((line, index) => (
          <ListItem
            // biome-ignore lint/suspicious/noArrayIndexKey: items have no id; the position is the identity
            key={index}
            readOnly={readOnly}
            onRemove={() =>
              edit((d) => {
                d[list].splice(index, 1);
              })
            }
          >
            <LocalizedInput
              label={t(`editor.${keys}.item`, { number: index + 1 })}
              value={line}
              locale={locale}
              readOnly={readOnly}
              multiline
              onChange={(next) =>
                edit((d) => {
                  d[list][index] = next;
                })
              }
            />
          </ListItem>
        ))}
        <AddButton
          label={t(`editor.${keys}.add`)}
          readOnly={readOnly}
          onClick={() =>
            edit((d) => {
              d[list].push({});
            })
          }
        />
      </Stack>
    </Section>
  );
}

export function ProgramContactsList({ source, edit, locale, readOnly }: FieldsProps) {
  const { t } = useTranslation('vdpProgram');
  return (
    <Section title={t('editor.contacts.title')} description={t('editor.contacts.description')}>
      <Stack maw={720}>
        {source.contacts.map((contact, index) => (
          <ListItem
            // biome-ignore lint/suspicious/noArrayIndexKey: items have no id; the position is the identity
            key={index}
            readOnly={readOnly}
            onRemove={() =>
              edit((d) => {
                d.contacts.splice(index, 1);
              })
            }
          >
            <Group align="flex-end" wrap="wrap">
              <NativeSelect
                label={t('editor.contacts.kind')}
                value={contact.kind}
                disabled={readOnly}
                data={CONTACT_KINDS.map((kind) => ({
                  value: kind,
                  label: t(`editor.contacts.kinds.${kind}`),
                }))}
                onChange={(e) => {
                  const value = e.currentTarget.value as ContactKind;
                  edit((d) => {
                    if (d.contacts[index]) d.contacts[index].kind = value;
                  });
                }}
              />
              <TextInput
                label={t('editor.contacts.value')}
                description={t('editor.contacts.valueHint')}
                value={contact.value}
                readOnly={readOnly}
                style={{ flex: 1, minWidth: 260 }}
                onChange={(e) => {
                  const value = e.currentTarget.value;
                  edit((d) => {
                    if (d.contacts[index]) d.contacts[index].value = value;
                  });
                }}
              />
            </Group>
            <LocalizedInput
              label={t('editor.contacts.label')}
              value={contact.label}
              locale={locale}
              readOnly={readOnly}
              onChange={(next) =>
                edit((d) => {
                  if (d.contacts[index]) d.contacts[index].label = next;
                })
              }
            />
          </ListItem>
        ))}
        <AddButton
          label={t('editor.contacts.add')}
          readOnly={readOnly}
          onClick={() =>
            edit((d) => {
              d.contacts.push({ kind: 'email', value: 'mailto:', label: {} });
            })
          }
        />
      </Stack>
    </Section>
  );
}
