import { Badge, Button, Group, Modal, NativeSelect, Stack, Table, Text } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router-dom';
import {
  ADVISORY_STATUSES,
  type Advisory,
  type AdvisoryDraft,
  type AdvisoryStatus,
  advisoriesApi,
} from '../../api-disclosure-advisories';
import { ListTable } from '../../components/ListTable';
import { PageHeader } from '../../components/PageHeader';
import { RowButton } from '../../components/RowButton';
import { SearchBar } from '../../components/SearchBar';
import { Section } from '../../components/Section';
import { useConfirmedAction } from '../../components/useConfirm';
import { notifySuccess, useNotifyError } from '../../lib/errors';
import { useFormat } from '../../lib/format';
import { DISCLOSURE_MANAGE_ROLES, hasRole } from '../../lib/permissions';
import { useCursorList } from '../../lib/useCursorList';
import { useUser } from '../../session';
import { AdvisoryExportMenu } from './AdvisoryExportMenu';
import { AdvisoryForm } from './AdvisoryForm';
import { SEVERITY_COLOR } from './advisoryCvss';

const STATUS_COLOR: Record<AdvisoryStatus, string> = { draft: 'gray', shared: 'blue', published: 'green' };

/** Security advisories: drafts, sharing with the researcher, publication, exports. Read-only for auditors. */
export function AdvisoriesPage() {
  const { t } = useTranslation('vdpAdvisories');
  const fmt = useFormat();
  const canManage = hasRole(useUser().role, DISCLOSURE_MANAGE_ROLES);
  const [dialog, confirmThen] = useConfirmedAction();
  const [search, setSearch] = useState('');
  const [q] = useDebouncedValue(search.trim(), 300);
  const [status, setStatus] = useState<AdvisoryStatus | ''>('');
  const [editing, setEditing] = useState<Advisory | 'new' | null>(null);
  const [draft, setDraft] = useState<AdvisoryDraft | null>(null);
  const [params, setParams] = useSearchParams();
  const fromReport = params.get('fromReport');
  const notifyError = useNotifyError();

  // "Create advisory from this report" (the report view) lands here with ?fromReport=<id>.
  useEffect(() => {
    if (!fromReport || !canManage) return;
    let current = true;
    advisoriesApi
      .draftFromReport(fromReport)
      .then((proposed) => {
        if (!current) return;
        setDraft(proposed);
        setEditing('new');
      })
      .catch((error: unknown) => notifyError(error))
      .finally(() => setParams({}, { replace: true }));
    return () => {
      current = false;
    };
  }, [fromReport, canManage, setParams, notifyError]);
  const close = () => {
    setEditing(null);
    setDraft(null);
  };

  const fetchPage = useCallback(
    (cursor: string | null) => advisoriesApi.list({ limit: 25, cursor, q, status }),
    [q, status],
  );
  const list = useCursorList(fetchPage);

  const onSaved = (saved: Advisory) => {
    const isNew = editing === 'new';
    close();
    notifySuccess(t('saved', { identifier: saved.identifier }));
    if (isNew) list.reload();
    else list.update(saved.id, () => saved);
  };

  const share = (advisory: Advisory) =>
    confirmThen(
      {
        title: t('share.title'),
        message: t('share.confirm', { identifier: advisory.identifier }),
        confirmLabel: t('share.action'),
      },
      async () => {
        const saved = await advisoriesApi.share(advisory.id);
        list.update(saved.id, () => saved);
        notifySuccess(t('share.done', { identifier: saved.identifier }));
      },
    );

  const publish = (advisory: Advisory) => {
    const embargoed = advisory.embargoUntil !== null && new Date(advisory.embargoUntil) > new Date();
    return confirmThen(
      {
        title: t('publish.title'),
        message: embargoed
          ? t('publish.confirmEmbargoed', {
              identifier: advisory.identifier,
              date: fmt.dateTime(advisory.embargoUntil),
            })
          : t('publish.confirm', { identifier: advisory.identifier }),
        confirmLabel: embargoed ? t('publish.force') : t('publish.action'),
        danger: embargoed,
      },
      async () => {
        const saved = await advisoriesApi.publish(advisory.id, embargoed);
        list.update(saved.id, () => saved);
        notifySuccess(t('publish.done', { identifier: saved.identifier }));
      },
    );
  };

  const remove = (advisory: Advisory) =>
    confirmThen(
      {
        title: t('remove.title'),
        message: t('remove.confirm', { identifier: advisory.identifier }),
        confirmLabel: t('remove.action'),
        danger: true,
      },
      async () => {
        await advisoriesApi.remove(advisory.id);
        list.update(advisory.id, () => null);
        notifySuccess(t('remove.done', { identifier: advisory.identifier }));
      },
    );

  const current = editing === 'new' ? null : editing;
  return (
    <>
      {dialog}
      <PageHeader
        title={t('title')}
        description={t('description')}
        actions={canManage ? <Button onClick={() => setEditing('new')}>{t('add')}</Button> : null}
      />
      <Modal
        opened={editing !== null}
        onClose={close}
        title={current ? `${current.identifier} · ${current.title}` : t('add')}
        size="xl"
      >
        {editing !== null ? (
          <AdvisoryForm
            advisory={current}
            draft={draft}
            readOnly={!canManage}
            onSaved={onSaved}
            onCancel={close}
          />
        ) : null}
      </Modal>
      <Section title={t('listTitle')}>
        <Stack>
          <SearchBar
            region={t('searchRegion')}
            label={t('search')}
            placeholder={t('searchPlaceholder')}
            value={search}
            onChange={setSearch}
            width={280}
          >
            <NativeSelect
              label={t('statusFilter')}
              value={status}
              onChange={(e) => setStatus(e.currentTarget.value as AdvisoryStatus | '')}
              data={[
                { value: '', label: t('allStatuses') },
                ...ADVISORY_STATUSES.map((s) => ({ value: s, label: t(`status.${s}`) })),
              ]}
            />
          </SearchBar>
          <ListTable
            list={list}
            rows={list.items}
            empty={{ title: t('emptyTitle'), description: t('emptyDescription') }}
            noMatch={
              (q !== '' || status !== '') && {
                title: t('noMatchTitle'),
                description: t('noMatchDescription'),
                onClear: () => {
                  setSearch('');
                  setStatus('');
                },
              }
            }
            minWidth={900}
            headers={[t('column.advisory'), t('column.severity'), t('column.status'), t('column.dates')]}
            cells={(advisory) => {
              const score = advisory.cvssV4 ?? advisory.cvssV3;
              return (
                <>
                  <Table.Td>
                    <Text size="sm" fw={500}>
                      {advisory.title}
                    </Text>
                    <Text size="xs" c="dimmed">
                      {[advisory.identifier, advisory.cveId].filter(Boolean).join(' · ')}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    {score ? (
                      <Badge variant="light" color={SEVERITY_COLOR[score.baseSeverity]}>
                        {score.baseScore.toFixed(1)} {t(`severity.${score.baseSeverity}`)}
                      </Badge>
                    ) : (
                      <Text size="sm" c="dimmed">
                        {t('severity.unrated')}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>
                    <Badge variant="light" color={STATUS_COLOR[advisory.status]}>
                      {t(`status.${advisory.status}`)}
                    </Badge>
                    {advisory.revision > 1 ? (
                      <Text size="xs" c="dimmed">
                        {t('revision', { revision: advisory.revision })}
                      </Text>
                    ) : null}
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">
                      {advisory.publishedAt
                        ? t('publishedOn', { date: fmt.date(advisory.publishedAt) })
                        : advisory.embargoUntil
                          ? t('embargoUntil', { date: fmt.dateTime(advisory.embargoUntil) })
                          : t('updatedOn', { date: fmt.date(advisory.updatedAt) })}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Group gap={4} wrap="nowrap">
                      <RowButton
                        onClick={() => setEditing(advisory)}
                        aria-label={t('openNamed', { identifier: advisory.identifier })}
                      >
                        {canManage ? t('edit') : t('view')}
                      </RowButton>
                      {canManage && advisory.status !== 'published' ? (
                        <>
                          {advisory.reportId ? (
                            <RowButton
                              onClick={() => void share(advisory)}
                              aria-label={t('share.actionNamed', { identifier: advisory.identifier })}
                            >
                              {t('share.action')}
                            </RowButton>
                          ) : null}
                          <RowButton
                            onClick={() => void publish(advisory)}
                            aria-label={t('publish.actionNamed', { identifier: advisory.identifier })}
                          >
                            {t('publish.action')}
                          </RowButton>
                          <RowButton
                            danger
                            onClick={() => void remove(advisory)}
                            aria-label={t('remove.actionNamed', { identifier: advisory.identifier })}
                          >
                            {t('remove.action')}
                          </RowButton>
                        </>
                      ) : null}
                      {advisory.publicUrl ? (
                        <Button
                          component="a"
                          size="compact-sm"
                          variant="subtle"
                          href={advisory.publicUrl}
                          target="_blank"
                          rel="noopener"
                        >
                          {t('publicPage')}
                        </Button>
                      ) : null}
                      <AdvisoryExportMenu advisory={advisory} />
                    </Group>
                  </Table.Td>
                </>
              );
            }}
          />
        </Stack>
      </Section>
    </>
  );
}
