import { Stack, Table, TextInput } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type NdaExemption, trustApi } from '../../api-trust';
import { ListTable } from '../../components/ListTable';
import { RowButton } from '../../components/RowButton';
import { Section } from '../../components/Section';
import { SectionForm } from '../../components/SubmitForm';
import { useConfirmedAction } from '../../components/useConfirm';
import { FieldErrors, notifySuccess } from '../../lib/errors';
import { useFormat } from '../../lib/format';
import { useLoad } from '../../lib/useLoad';
import { useSubmit } from '../../lib/useSubmit';
import { useCanManageAccess } from './shared';

const fetchExemptions = () => trustApi.ndaExemptions().then((r) => r.items);

/** Company domains whose visitors skip the NDA click-through (e.g. a signed paper NDA). */
export function ExemptionsPanel() {
  const { t } = useTranslation();
  const fmt = useFormat();
  const canManage = useCanManageAccess();
  const [dialog, confirmThen] = useConfirmedAction();
  const list = useLoad<NdaExemption[]>(fetchExemptions, []);
  const [domain, setDomain] = useState('');
  const [company, setCompany] = useState('');
  const [note, setNote] = useState('');

  const submit = useSubmit(async () => {
    const errors: Record<string, string> = {};
    if (!domain.trim()) errors.domain = t('validation.required');
    if (!company.trim()) errors.company = t('validation.required');
    if (Object.keys(errors).length > 0) throw new FieldErrors(errors);
    const created = await trustApi.createNdaExemption({
      domain: domain.trim(),
      company: company.trim(),
      note: note.trim() || undefined,
    });
    list.setData((prev) => [created, ...prev]);
    setDomain('');
    setCompany('');
    setNote('');
    notifySuccess(t('trust.exemptions.added', { domain: created.domain }));
  });

  const remove = (x: NdaExemption) =>
    confirmThen(
      {
        title: t('trust.exemptions.removeTitle'),
        message: t('trust.exemptions.removeConfirm', { domain: x.domain }),
        confirmLabel: t('trust.exemptions.remove'),
        danger: true,
      },
      async () => {
        await trustApi.deleteNdaExemption(x.id);
        list.setData((prev) => prev.filter((e) => e.id !== x.id));
        notifySuccess(t('trust.exemptions.removed', { domain: x.domain }));
      },
    );

  return (
    <Section title={t('trust.exemptions.title')} description={t('trust.exemptions.description')}>
      {dialog}
      <Stack>
        {canManage ? (
          <SectionForm submit={submit} submitLabel={t('trust.exemptions.add')} maw={520}>
            <TextInput
              label={t('trust.exemptions.domain')}
              placeholder="example.com"
              value={domain}
              onChange={(e) => setDomain(e.currentTarget.value)}
              error={submit.fieldErrors.domain}
            />
            <TextInput
              label={t('trust.exemptions.company')}
              value={company}
              onChange={(e) => setCompany(e.currentTarget.value)}
              error={submit.fieldErrors.company}
            />
            <TextInput
              label={t('trust.exemptions.note')}
              value={note}
              onChange={(e) => setNote(e.currentTarget.value)}
              error={submit.fieldErrors.note}
            />
          </SectionForm>
        ) : null}
        <ListTable
          list={list}
          rows={list.data}
          empty={{
            title: t('trust.exemptions.emptyTitle'),
            description: t('trust.exemptions.emptyDescription'),
          }}
          headers={[
            t('trust.exemptions.domain'),
            t('trust.exemptions.company'),
            t('trust.exemptions.note'),
            t('common.created'),
          ]}
          minWidth={720}
          cells={(x) => (
            <>
              <Table.Td>{x.domain}</Table.Td>
              <Table.Td>{x.company}</Table.Td>
              <Table.Td>{x.note ?? '—'}</Table.Td>
              <Table.Td>{fmt.date(x.createdAt)}</Table.Td>
              <Table.Td>
                {canManage ? (
                  <RowButton
                    danger
                    onClick={() => void remove(x)}
                    aria-label={t('trust.exemptions.removeNamed', { domain: x.domain })}
                  >
                    {t('trust.exemptions.remove')}
                  </RowButton>
                ) : null}
              </Table.Td>
            </>
          )}
        />
      </Stack>
    </Section>
  );
}
