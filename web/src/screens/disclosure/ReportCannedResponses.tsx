import { Button, Modal, NativeSelect, Stack, Table, Text, Textarea, TextInput } from '@mantine/core';
import { useCallback, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { LOCALES, type Locale } from '../../api';
import { type CannedResponse, triageApi } from '../../api-disclosure-triage';
import { ListTable } from '../../components/ListTable';
import { PageHeader } from '../../components/PageHeader';
import { RowButton } from '../../components/RowButton';
import { SectionForm } from '../../components/SubmitForm';
import { useConfirmedAction } from '../../components/useConfirm';
import { FieldErrors, notifySuccess } from '../../lib/errors';
import { useLoad } from '../../lib/useLoad';
import { useSubmit } from '../../lib/useSubmit';
import { ReportsNav } from './ReportsNav';

type Editing = { response: CannedResponse | null; locale: Locale };

function CannedForm({ editing, onDone }: { editing: Editing; onDone: (saved: CannedResponse) => void }) {
  const { t } = useTranslation('vdpTriage');
  const [locale, setLocale] = useState<Locale>(editing.response?.locale ?? editing.locale);
  const [title, setTitle] = useState(editing.response?.title ?? '');
  const [body, setBody] = useState(editing.response?.body ?? '');
  const submit = useSubmit(async () => {
    const fields: Record<string, string> = {};
    if (!title.trim()) fields.title = t('canned.titleRequired');
    if (!body.trim()) fields.body = t('canned.bodyRequired');
    if (Object.keys(fields).length > 0) throw new FieldErrors(fields);
    const input = { locale, title: title.trim(), body: body.trim() };
    const saved = editing.response
      ? await triageApi.updateCannedResponse(editing.response.id, input)
      : await triageApi.createCannedResponse(input);
    onDone(saved);
  });
  return (
    <SectionForm submit={submit} submitLabel={editing.response ? t('canned.save') : t('canned.add')}>
      <NativeSelect
        label={t('canned.locale')}
        value={locale}
        onChange={(e) => setLocale(e.currentTarget.value as Locale)}
        data={LOCALES.map((value) => ({ value, label: t(`locale.${value}`) }))}
      />
      <TextInput
        label={t('canned.titleLabel')}
        value={title}
        onChange={(e) => setTitle(e.currentTarget.value)}
        error={submit.fieldErrors.title}
        data-autofocus
      />
      <Textarea
        label={t('canned.body')}
        description={t('canned.bodyHint')}
        autosize
        minRows={6}
        value={body}
        onChange={(e) => setBody(e.currentTarget.value)}
        error={submit.fieldErrors.body}
      />
    </SectionForm>
  );
}

/** Canned responses: ready answers per language, which the composer offers for reports in that language. */
export function ReportCannedResponses() {
  const { t } = useTranslation('vdpTriage');
  const [locale, setLocale] = useState<Locale>('en');
  const [editing, setEditing] = useState<Editing | null>(null);
  const [dialog, confirmThen] = useConfirmedAction();
  const fetchList = useCallback(() => triageApi.cannedResponses(locale).then((page) => page.items), [locale]);
  const list = useLoad<CannedResponse[]>(fetchList, []);

  const saved = (response: CannedResponse) => {
    setEditing(null);
    notifySuccess(t('canned.saved', { title: response.title }));
    list.reload();
  };
  const remove = (response: CannedResponse) =>
    confirmThen(
      {
        title: t('canned.deleteTitle', { title: response.title }),
        message: t('canned.deleteMessage'),
        confirmLabel: t('canned.delete'),
        danger: true,
      },
      async () => {
        await triageApi.deleteCannedResponse(response.id);
        notifySuccess(t('canned.deleted', { title: response.title }));
        list.reload();
      },
    );

  return (
    <>
      <PageHeader
        title={t('canned.pageTitle')}
        description={t('canned.description')}
        actions={<Button onClick={() => setEditing({ response: null, locale })}>{t('canned.add')}</Button>}
      />
      <ReportsNav />
      {dialog}
      <Modal
        opened={editing !== null}
        onClose={() => setEditing(null)}
        title={editing?.response ? t('canned.editTitle') : t('canned.addTitle')}
        size="lg"
      >
        {editing ? <CannedForm editing={editing} onDone={saved} /> : null}
      </Modal>
      <Stack gap="md">
        <NativeSelect
          label={t('canned.locale')}
          value={locale}
          onChange={(e) => setLocale(e.currentTarget.value as Locale)}
          data={LOCALES.map((value) => ({ value, label: t(`locale.${value}`) }))}
          w={220}
        />
        <ListTable
          list={list}
          rows={list.data}
          empty={{ title: t('canned.emptyTitle'), description: t('canned.emptyDescription') }}
          headers={[t('canned.titleLabel'), t('canned.body')]}
          minWidth={640}
          cells={(response) => (
            <>
              <Table.Td>
                <Text size="sm" fw={500}>
                  {response.title}
                </Text>
              </Table.Td>
              <Table.Td>
                <Text size="sm" lineClamp={2}>
                  {response.body}
                </Text>
              </Table.Td>
              <Table.Td>
                <RowButton
                  aria-label={t('canned.editNamed', { title: response.title })}
                  onClick={() => setEditing({ response, locale })}
                >
                  {t('canned.edit')}
                </RowButton>
                <RowButton
                  danger
                  aria-label={t('canned.deleteNamed', { title: response.title })}
                  onClick={() => void remove(response)}
                >
                  {t('canned.delete')}
                </RowButton>
              </Table.Td>
            </>
          )}
        />
      </Stack>
    </>
  );
}
