import { Alert, Badge, Button, Group, Modal, Stack, Table, Text, Textarea, TextInput } from '@mantine/core';
import { useCallback, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { LOCALES, type Locale } from '../../api';
import { type NdaTemplate, trustApi } from '../../api-trust';
import { ListTable } from '../../components/ListTable';
import { RowButton } from '../../components/RowButton';
import { Section } from '../../components/Section';
import { SectionForm } from '../../components/SubmitForm';
import { FieldErrors, notifySuccess } from '../../lib/errors';
import { useFormat } from '../../lib/format';
import { useLoad } from '../../lib/useLoad';
import { useSubmit } from '../../lib/useSubmit';
import { LocaleSwitch, useCanManageAccess } from './shared';

function TemplateForm({
  locale,
  template,
  base,
  onSaved,
}: {
  locale: Locale;
  /** The version being edited (only before anyone accepted it), or null for a new version. */
  template: NdaTemplate | null;
  /** The text a new version starts from. */
  base: NdaTemplate | undefined;
  onSaved: (saved: NdaTemplate) => void;
}) {
  const { t } = useTranslation();
  const [title, setTitle] = useState(template?.title ?? base?.title ?? '');
  const [body, setBody] = useState(template?.body ?? base?.body ?? '');
  const submit = useSubmit(async () => {
    const errors: Record<string, string> = {};
    if (!title.trim()) errors.title = t('validation.required');
    if (!body.trim()) errors.body = t('validation.required');
    if (Object.keys(errors).length > 0) throw new FieldErrors(errors);
    const input = { title: title.trim(), body: body.trim() };
    onSaved(
      template
        ? await trustApi.updateNdaTemplate(template.id, input)
        : await trustApi.createNdaTemplate({ locale, ...input }),
    );
  });
  return (
    <SectionForm submit={submit} submitLabel={template ? t('common.save') : t('trust.nda.createVersion')}>
      <TextInput
        label={t('trust.common.titleField')}
        required
        value={title}
        onChange={(e) => setTitle(e.currentTarget.value)}
        error={submit.fieldErrors.title}
      />
      <Textarea
        label={t('trust.nda.text')}
        required
        autosize
        minRows={10}
        maxRows={24}
        value={body}
        onChange={(e) => setBody(e.currentTarget.value)}
        error={submit.fieldErrors.body}
      />
    </SectionForm>
  );
}

const fetchAllTemplates = () => trustApi.ndaTemplates().then((r) => r.items);

/**
 * NDA templates per locale: every version, and a new version (visitors see the newest from then on).
 * Warns about languages without an NDA: their visitors get another language's text, with a notice.
 */
export function NdaPanel() {
  const { t } = useTranslation();
  const fmt = useFormat();
  const canManage = useCanManageAccess();
  const [locale, setLocale] = useState<Locale>('en');
  const [editing, setEditing] = useState<NdaTemplate | 'new' | null>(null);
  const fetchTemplates = useCallback(
    () => trustApi.ndaTemplates(locale).then((r) => [...r.items].sort((a, b) => b.version - a.version)),
    [locale],
  );
  const list = useLoad<NdaTemplate[]>(fetchTemplates, []);
  const all = useLoad<NdaTemplate[]>(fetchAllTemplates, []);
  const missing = LOCALES.filter((l) => !all.data.some((n) => n.locale === l && n.active));
  const latest = list.data[0];
  const current = editing === 'new' ? null : editing;

  const onSaved = (saved: NdaTemplate) => {
    setEditing(null);
    list.reload();
    all.reload();
    notifySuccess(t('trust.nda.saved', { version: saved.version }));
  };

  return (
    <Section
      title={t('trust.nda.title')}
      description={t('trust.nda.description')}
      actions={
        canManage ? <Button onClick={() => setEditing('new')}>{t('trust.nda.newVersion')}</Button> : null
      }
    >
      <Modal
        opened={editing !== null}
        onClose={() => setEditing(null)}
        title={
          current
            ? t('trust.nda.editVersion', { version: current.version })
            : t('trust.nda.newVersionIn', { language: t(`languages.${locale}`) })
        }
        size="xl"
      >
        {editing !== null ? (
          <TemplateForm locale={locale} template={current} base={latest} onSaved={onSaved} />
        ) : null}
      </Modal>
      <Stack>
        {all.data.length > 0 && missing.length > 0 ? (
          <Alert
            color="orange"
            data-testid="nda-missing-languages"
            title={t('trust.nda.missingTitle', {
              languages: missing.map((l) => t(`languages.${l}`)).join(', '),
            })}
          >
            {t('trust.nda.missingBody')}
          </Alert>
        ) : null}
        <LocaleSwitch value={locale} onChange={setLocale} label={t('trust.nda.language')} />
        <ListTable
          list={list}
          rows={list.data}
          empty={{ title: t('trust.nda.emptyTitle'), description: t('trust.nda.emptyDescription') }}
          headers={[
            t('trust.documents.version'),
            t('trust.common.titleField'),
            t('common.status'),
            t('trust.nda.acceptances'),
            t('common.created'),
          ]}
          minWidth={720}
          cells={(n) => (
            <>
              <Table.Td>{fmt.number(n.version)}</Table.Td>
              <Table.Td>
                <Text size="sm">{n.title}</Text>
                <Text size="xs" c="dimmed" ff="monospace" title={n.sha256}>
                  {n.sha256.slice(0, 12)}
                </Text>
              </Table.Td>
              <Table.Td>
                <Badge variant="light" color={n.active ? 'green' : 'gray'}>
                  {n.active ? t('trust.nda.active') : t('trust.nda.inactive')}
                </Badge>
              </Table.Td>
              <Table.Td>{fmt.number(n.acceptances)}</Table.Td>
              <Table.Td>{fmt.dateTime(n.createdAt)}</Table.Td>
              <Table.Td>
                {canManage && n.acceptances === 0 ? (
                  <Group gap={4}>
                    <RowButton
                      onClick={() => setEditing(n)}
                      aria-label={t('trust.nda.editVersion', { version: n.version })}
                    >
                      {t('trust.common.edit')}
                    </RowButton>
                  </Group>
                ) : null}
              </Table.Td>
            </>
          )}
        />
      </Stack>
    </Section>
  );
}
