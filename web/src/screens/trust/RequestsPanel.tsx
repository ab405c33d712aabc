import {
  Badge,
  Button,
  Group,
  Modal,
  MultiSelect,
  NativeSelect,
  NumberInput,
  Radio,
  Stack,
  Table,
  Text,
  Textarea,
} from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useCallback, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  ACCESS_REQUEST_STATUSES,
  type AccessRequest,
  type AccessRequestStatus,
  type ApproveInput,
  type GrantLevel,
  trustApi,
} from '../../api-trust';
import { BulkBar, type BulkResults, useNotifyBulk, useSelection } from '../../components/BulkSelection';
import { ListTable } from '../../components/ListTable';
import { RowButton } from '../../components/RowButton';
import { SearchBar } from '../../components/SearchBar';
import { SectionForm } from '../../components/SubmitForm';
import { FieldErrors, notifySuccess, useNotifyError } from '../../lib/errors';
import { useFormat } from '../../lib/format';
import { useCursorList } from '../../lib/useCursorList';
import { useSubmit } from '../../lib/useSubmit';
import { PAGE_SIZE, useCanManageAccess } from './shared';
import { useDocumentChoices } from './useDocumentChoices';

const STATUS_COLOR: Record<AccessRequestStatus, string> = {
  unconfirmed: 'gray',
  pending: 'yellow',
  approved: 'green',
  denied: 'red',
};

type Mode = 'requested' | 'documents' | 'level';

function ApproveForm({
  request,
  options,
  onDone,
}: {
  request: AccessRequest;
  options: { value: string; label: string }[];
  onDone: (updated: AccessRequest) => void;
}) {
  const { t } = useTranslation();
  const [mode, setMode] = useState<Mode>(request.documentIds.length > 0 ? 'requested' : 'level');
  const [documentIds, setDocumentIds] = useState<string[]>(request.documentIds);
  const [level, setLevel] = useState<GrantLevel>(request.level ?? 'nda');
  const [days, setDays] = useState<number | string>(30);
  const submit = useSubmit(async () => {
    const body: ApproveInput = {};
    const expiresInDays = typeof days === 'number' ? days : Number.parseInt(days, 10);
    if (!Number.isInteger(expiresInDays) || expiresInDays < 1 || expiresInDays > 365) {
      throw new FieldErrors({ expiresInDays: t('validation.range', { min: 1, max: 365 }) });
    }
    body.expiresInDays = expiresInDays;
    if (mode === 'documents') {
      if (documentIds.length === 0)
        throw new FieldErrors({ documentIds: t('trust.requests.chooseDocuments') });
      body.documentIds = documentIds;
    }
    if (mode === 'level') body.level = level;
    const result = await trustApi.approveRequest(request.id, body);
    onDone(result.request);
  });
  return (
    <SectionForm submit={submit} submitLabel={t('trust.requests.approve')}>
      <Radio.Group label={t('trust.requests.grantWhat')} value={mode} onChange={(v) => setMode(v as Mode)}>
        <Stack gap="xs" mt="xs">
          {request.documentIds.length > 0 ? (
            <Radio value="requested" label={t('trust.requests.modeRequested')} />
          ) : null}
          <Radio value="documents" label={t('trust.requests.modeDocuments')} />
          <Radio value="level" label={t('trust.requests.modeLevel')} />
        </Stack>
      </Radio.Group>
      {mode === 'documents' ? (
        <MultiSelect
          label={t('trust.requests.documents')}
          data={options}
          value={documentIds}
          onChange={setDocumentIds}
          searchable
          error={submit.fieldErrors.documentIds}
        />
      ) : null}
      {mode === 'level' ? (
        <NativeSelect
          label={t('trust.requests.level')}
          value={level}
          onChange={(e) => setLevel(e.currentTarget.value as GrantLevel)}
          data={(['request', 'nda'] as const).map((l) => ({ value: l, label: t(`trust.accessLevel.${l}`) }))}
        />
      ) : null}
      <NumberInput
        label={t('trust.requests.expiresInDays')}
        min={1}
        max={365}
        allowDecimal={false}
        allowNegative={false}
        value={days}
        onChange={setDays}
        error={submit.fieldErrors.expiresInDays}
        w={220}
      />
    </SectionForm>
  );
}

function DenyForm({ request, onDone }: { request: AccessRequest; onDone: (updated: AccessRequest) => void }) {
  const { t } = useTranslation();
  const [note, setNote] = useState('');
  const submit = useSubmit(async () =>
    onDone(await trustApi.denyRequest(request.id, note.trim() || undefined)),
  );
  return (
    <SectionForm submit={submit} submitLabel={t('trust.requests.deny')}>
      <Textarea
        label={t('trust.requests.denyNote')}
        description={t('trust.requests.denyNoteHint')}
        autosize
        minRows={3}
        value={note}
        onChange={(e) => setNote(e.currentTarget.value)}
        error={submit.fieldErrors.note}
      />
    </SectionForm>
  );
}

/** The access-requests inbox: filter by status, search, approve or deny. */
export function RequestsPanel() {
  const { t } = useTranslation();
  const fmt = useFormat();
  const canManage = useCanManageAccess();
  const docs = useDocumentChoices();
  const [status, setStatus] = useState<AccessRequestStatus | ''>('pending');
  const [search, setSearch] = useState('');
  const [q] = useDebouncedValue(search.trim(), 300);
  const [deciding, setDeciding] = useState<{ request: AccessRequest; action: 'approve' | 'deny' } | null>(
    null,
  );

  const fetchPage = useCallback(
    (cursor: string | null) => trustApi.accessRequests({ limit: PAGE_SIZE, cursor, status, search: q }),
    [status, q],
  );
  const list = useCursorList(fetchPage);
  const selection = useSelection(useMemo(() => list.items.map((r) => r.id), [list.items]));
  const notifyBulk = useNotifyBulk();
  const notifyError = useNotifyError();
  const [bulkBusy, setBulkBusy] = useState(false);
  const decideSelected = async (type: 'approve' | 'deny') => {
    setBulkBusy(true);
    try {
      const outcome: BulkResults = await trustApi.bulkDecideRequests(selection.selected, { type });
      const nameOf = (id: string) => list.items.find((r) => r.id === id)?.visitor.name ?? id;
      notifyBulk(outcome, nameOf);
      selection.clear();
      list.reload();
    } catch (err) {
      notifyError(err);
    } finally {
      setBulkBusy(false);
    }
  };

  const onDecided = (updated: AccessRequest) => {
    const verb = deciding?.action;
    setDeciding(null);
    list.update(updated.id, () => (status && updated.status !== status ? null : updated));
    notifySuccess(
      t(verb === 'approve' ? 'trust.requests.approved' : 'trust.requests.denied', {
        name: updated.visitor.name,
      }),
    );
  };

  const who = deciding?.request.visitor;
  return (
    <Stack>
      <Modal
        opened={deciding !== null}
        onClose={() => setDeciding(null)}
        title={
          who
            ? t(deciding?.action === 'approve' ? 'trust.requests.approveTitle' : 'trust.requests.denyTitle', {
                name: who.name,
                company: who.company,
              })
            : ''
        }
        size="lg"
      >
        {deciding?.action === 'approve' ? (
          <ApproveForm request={deciding.request} options={docs.options} onDone={onDecided} />
        ) : null}
        {deciding?.action === 'deny' ? <DenyForm request={deciding.request} onDone={onDecided} /> : null}
      </Modal>
      <SearchBar
        region={t('trust.requests.searchRegion')}
        label={t('trust.common.search')}
        placeholder={t('trust.requests.searchPlaceholder')}
        value={search}
        onChange={setSearch}
        width={280}
      >
        <NativeSelect
          label={t('trust.requests.show')}
          value={status}
          onChange={(e) => setStatus(e.currentTarget.value as AccessRequestStatus | '')}
          data={[
            { value: '', label: t('trust.common.all') },
            ...ACCESS_REQUEST_STATUSES.map((s) => ({ value: s, label: t(`trust.requestStatus.${s}`) })),
          ]}
        />
      </SearchBar>
      {canManage ? (
        <BulkBar selection={selection}>
          <Button size="xs" loading={bulkBusy} onClick={() => decideSelected('approve')}>
            {t('trust.requests.bulkApprove')}
          </Button>
          <Button
            size="xs"
            variant="default"
            color="red"
            loading={bulkBusy}
            onClick={() => decideSelected('deny')}
          >
            {t('trust.requests.bulkDeny')}
          </Button>
        </BulkBar>
      ) : null}
      <ListTable
        list={list}
        rows={list.items}
        selection={canManage ? { state: selection, label: (r) => r.visitor.name } : undefined}
        empty={{ title: t('trust.requests.emptyTitle'), description: t('trust.requests.emptyDescription') }}
        noMatch={
          (q !== '' || status !== 'pending') && {
            title: t('trust.common.noMatchTitle'),
            description: t('trust.common.noMatchDescription'),
            onClear: () => {
              setSearch('');
              setStatus('pending');
            },
          }
        }
        minWidth={960}
        headers={[
          t('trust.requests.visitor'),
          t('trust.requests.asked'),
          t('trust.requests.reason'),
          t('common.status'),
          t('trust.requests.received'),
        ]}
        cells={(r) => (
          <>
            <Table.Td>
              <Text size="sm" fw={500}>
                {r.visitor.name} · {r.visitor.company}
              </Text>
              <Text size="xs" c="dimmed">
                {r.visitor.email}
                {r.visitor.emailVerified ? '' : ` · ${t('trust.requests.unverified')}`}
              </Text>
            </Table.Td>
            <Table.Td>
              {r.level ? t(`trust.accessLevel.${r.level}`) : r.documentIds.map(docs.nameOf).join(', ') || '—'}
            </Table.Td>
            <Table.Td>
              <Text size="sm" lineClamp={3} title={r.reason}>
                {r.reason}
              </Text>
              {r.decisionNote ? (
                <Text size="xs" c="dimmed">
                  {t('trust.requests.note', { note: r.decisionNote })}
                </Text>
              ) : null}
            </Table.Td>
            <Table.Td>
              <Badge variant="light" color={STATUS_COLOR[r.status]}>
                {t(`trust.requestStatus.${r.status}`)}
              </Badge>
            </Table.Td>
            <Table.Td>{fmt.dateTime(r.createdAt)}</Table.Td>
            <Table.Td>
              {canManage && r.status === 'pending' ? (
                <Group gap={4} wrap="nowrap">
                  <RowButton
                    onClick={() => setDeciding({ request: r, action: 'approve' })}
                    aria-label={t('trust.requests.approveNamed', { name: r.visitor.name })}
                  >
                    {t('trust.requests.approve')}
                  </RowButton>
                  <RowButton
                    danger
                    onClick={() => setDeciding({ request: r, action: 'deny' })}
                    aria-label={t('trust.requests.denyNamed', { name: r.visitor.name })}
                  >
                    {t('trust.requests.deny')}
                  </RowButton>
                </Group>
              ) : null}
            </Table.Td>
          </>
        )}
      />
    </Stack>
  );
}
