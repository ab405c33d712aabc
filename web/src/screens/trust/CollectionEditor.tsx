import { Button, Group, Modal, NativeSelect, Stack, Table, TextInput } from '@mantine/core';
import { type ReactNode, useCallback, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CollectionApi, Localized } from '../../api-trust';
import { ListTable } from '../../components/ListTable';
import { RowButton } from '../../components/RowButton';
import { SearchBar } from '../../components/SearchBar';
import { Section } from '../../components/Section';
import { SectionForm } from '../../components/SubmitForm';
import { useConfirmedAction } from '../../components/useConfirm';
import { FieldErrors, notifySuccess, useNotifyError } from '../../lib/errors';
import { matches, needleOf } from '../../lib/search';
import { useLoad } from '../../lib/useLoad';
import { useSubmit } from '../../lib/useSubmit';
import { LocalizedFields, useCanManageContent } from './shared';

export interface FieldDef {
  name: string;
  label: string;
  kind: 'text' | 'date' | 'select' | 'localized' | 'localizedText';
  options?: { value: string; label: string }[];
  /** Empty means null (text, date, select). */
  nullable?: boolean;
  required?: boolean;
  description?: string;
}

type Values = Record<string, string | Localized>;

export interface CollectionConfig<T extends { id: string }> {
  api: CollectionApi<T>;
  title: string;
  description: string;
  addLabel: string;
  emptyTitle: string;
  emptyDescription: string;
  /** The row's name, for dialogs and accessible button names. */
  nameOf: (item: T) => string;
  /** Text searched by the search box. */
  searchText: (item: T) => string[];
  fields: FieldDef[];
  headers: string[];
  cells: (item: T) => ReactNode;
  minWidth?: number;
  /** Whether the server keeps an order for the list (adds Move up / Move down). */
  ordered?: boolean;
  /** The values of a new item's select fields. */
  defaults?: Record<string, string>;
}

function initialValues(fields: FieldDef[], item: Record<string, unknown> | null, defaults?: Values): Values {
  const out: Values = {};
  for (const f of fields) {
    const v = item?.[f.name];
    if (f.kind === 'localized' || f.kind === 'localizedText')
      out[f.name] = (v as Localized | undefined) ?? {};
    else out[f.name] = v === null || v === undefined ? (defaults?.[f.name] ?? '') : String(v);
  }
  return out;
}

function ItemForm<T extends { id: string }>({
  config,
  item,
  onDone,
}: {
  config: CollectionConfig<T>;
  item: T | null;
  onDone: (saved: T) => void;
}) {
  const { t } = useTranslation();
  const [values, setValues] = useState<Values>(() =>
    initialValues(config.fields, item as Record<string, unknown> | null, config.defaults),
  );
  const set = (name: string, value: string | Localized) => setValues((prev) => ({ ...prev, [name]: value }));

  const submit = useSubmit(async () => {
    const body: Record<string, unknown> = {};
    const errors: Record<string, string> = {};
    for (const f of config.fields) {
      const v = values[f.name];
      if (typeof v !== 'string') {
        const written = Object.values(v ?? {}).some((text) => text?.trim());
        if (f.required && !written) errors[f.name] = t('trust.common.writeOneLanguage');
        body[f.name] = v;
        continue;
      }
      const trimmed = v.trim();
      if (trimmed) body[f.name] = trimmed;
      else if (f.required) errors[f.name] = t('validation.required');
      else if (f.nullable) body[f.name] = null;
    }
    if (Object.keys(errors).length > 0) throw new FieldErrors(errors);
    const saved = item ? await config.api.update(item.id, body) : await config.api.create(body);
    onDone(saved);
  });

  const localized = config.fields.filter((f) => f.kind === 'localized' || f.kind === 'localizedText');
  return (
    <SectionForm submit={submit} submitLabel={item ? t('common.save') : config.addLabel}>
      {config.fields.map((f) => {
        if (f.kind === 'localized' || f.kind === 'localizedText') return null;
        const common = {
          label: f.label,
          description: f.description,
          error: submit.fieldErrors[f.name],
          value: values[f.name] as string,
        };
        if (f.kind === 'select') {
          const options = f.nullable
            ? [{ value: '', label: t('trust.common.none') }, ...(f.options ?? [])]
            : f.options;
          return (
            <NativeSelect
              key={f.name}
              {...common}
              data={options ?? []}
              onChange={(e) => set(f.name, e.currentTarget.value)}
            />
          );
        }
        return (
          <TextInput
            key={f.name}
            {...common}
            type={f.kind === 'date' ? 'date' : 'text'}
            required={f.required}
            withAsterisk={f.required}
            onChange={(e) => set(f.name, e.currentTarget.value)}
          />
        );
      })}
      {localized.length > 0 ? (
        <LocalizedFields
          errors={submit.fieldErrors}
          fields={localized.map((f) => ({
            name: f.name,
            label: f.label,
            value: values[f.name] as Localized,
            onChange: (value) => set(f.name, value),
            multiline: f.kind === 'localizedText',
          }))}
        />
      ) : null}
    </SectionForm>
  );
}

/** One content collection (certifications, sections, FAQ…): a searchable table, add / edit / delete / order. */
export function CollectionEditor<T extends { id: string }>({ config }: { config: CollectionConfig<T> }) {
  const { t } = useTranslation();
  const canManage = useCanManageContent();
  const notifyError = useNotifyError();
  const [dialog, confirmThen] = useConfirmedAction();
  const [editing, setEditing] = useState<T | 'new' | null>(null);
  const [search, setSearch] = useState('');
  const fetchList = useCallback(() => config.api.list().then((r) => r.items), [config.api]);
  const list = useLoad<T[]>(fetchList, []);
  const needle = needleOf(search);
  const rows = list.data.filter((item) => matches(needle, ...config.searchText(item)));

  const onSaved = (saved: T) => {
    const existed = list.data.some((x) => x.id === saved.id);
    list.setData((prev) => (existed ? prev.map((x) => (x.id === saved.id ? saved : x)) : [...prev, saved]));
    notifySuccess(t('trust.common.saved', { name: config.nameOf(saved) }));
    setEditing(null);
  };

  const remove = (item: T) =>
    confirmThen(
      {
        title: t('trust.common.deleteTitle'),
        message: t('trust.common.deleteConfirm', { name: config.nameOf(item) }),
        confirmLabel: t('trust.common.delete'),
        danger: true,
      },
      async () => {
        await config.api.remove(item.id);
        list.setData((prev) => prev.filter((x) => x.id !== item.id));
        notifySuccess(t('trust.common.deleted', { name: config.nameOf(item) }));
      },
    );

  const move = async (index: number, delta: number) => {
    const ids = list.data.map((x) => x.id);
    const target = index + delta;
    if (target < 0 || target >= ids.length) return;
    [ids[index], ids[target]] = [ids[target] as string, ids[index] as string];
    try {
      const reordered = await config.api.reorder(ids);
      list.setData(reordered.items);
    } catch (err) {
      notifyError(err);
    }
  };

  const addButton = canManage ? <Button onClick={() => setEditing('new')}>{config.addLabel}</Button> : null;
  const current = editing === 'new' ? null : editing;

  return (
    <Section title={config.title} description={config.description} actions={addButton}>
      {dialog}
      <Modal
        opened={editing !== null}
        onClose={() => setEditing(null)}
        title={current ? t('trust.common.editNamed', { name: config.nameOf(current) }) : config.addLabel}
        size="lg"
      >
        {editing !== null ? <ItemForm config={config} item={current} onDone={onSaved} /> : null}
      </Modal>
      <Stack>
        {list.data.length > 5 || needle ? (
          <SearchBar
            region={t('trust.common.searchRegion', { name: config.title })}
            label={t('trust.common.search')}
            placeholder={t('trust.common.searchPlaceholder')}
            value={search}
            onChange={setSearch}
            width={280}
          />
        ) : null}
        <ListTable
          list={list}
          rows={rows}
          empty={{ title: config.emptyTitle, description: config.emptyDescription }}
          noMatch={
            needle !== '' && {
              title: t('trust.common.noMatchTitle'),
              description: t('trust.common.noMatchDescription'),
              onClear: () => setSearch(''),
            }
          }
          minWidth={config.minWidth ?? 720}
          headers={config.headers}
          cells={(item) => {
            const index = list.data.findIndex((x) => x.id === item.id);
            const name = config.nameOf(item);
            return (
              <>
                {config.cells(item)}
                <Table.Td>
                  {canManage ? (
                    <Group gap={4} wrap="nowrap">
                      <RowButton
                        onClick={() => setEditing(item)}
                        aria-label={t('trust.common.editNamed', { name })}
                      >
                        {t('trust.common.edit')}
                      </RowButton>
                      {config.ordered && !needle ? (
                        <>
                          <RowButton
                            disabled={index === 0}
                            onClick={() => void move(index, -1)}
                            aria-label={t('trust.common.moveUpNamed', { name })}
                          >
                            {t('trust.common.moveUp')}
                          </RowButton>
                          <RowButton
                            disabled={index === list.data.length - 1}
                            onClick={() => void move(index, 1)}
                            aria-label={t('trust.common.moveDownNamed', { name })}
                          >
                            {t('trust.common.moveDown')}
                          </RowButton>
                        </>
                      ) : null}
                      <RowButton
                        danger
                        onClick={() => void remove(item)}
                        aria-label={t('trust.common.deleteNamed', { name })}
                      >
                        {t('trust.common.delete')}
                      </RowButton>
                    </Group>
                  ) : null}
                </Table.Td>
              </>
            );
          }}
        />
      </Stack>
    </Section>
  );
}
