import { Badge, NativeSelect, Stack, Table, Text } from '@mantine/core';
import { useCallback, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type Grant, type GrantStatus, trustApi } from '../../api-trust';
import { ListTable } from '../../components/ListTable';
import { RowButton } from '../../components/RowButton';
import { useConfirmedAction } from '../../components/useConfirm';
import { notifySuccess } from '../../lib/errors';
import { useFormat } from '../../lib/format';
import { useCursorList } from '../../lib/useCursorList';
import { PAGE_SIZE, useCanManageAccess } from './shared';
import { useDocumentChoices } from './useDocumentChoices';

const STATUSES: readonly GrantStatus[] = ['active', 'expired', 'revoked'];
const STATUS_COLOR: Record<GrantStatus, string> = { active: 'green', expired: 'gray', revoked: 'red' };

/** Grants given to visitors, with revocation (effective at once). */
export function GrantsPanel() {
  const { t } = useTranslation();
  const fmt = useFormat();
  const canManage = useCanManageAccess();
  const docs = useDocumentChoices();
  const [dialog, confirmThen] = useConfirmedAction();
  const [status, setStatus] = useState<GrantStatus | ''>('active');
  const fetchPage = useCallback(
    (cursor: string | null) => trustApi.grants({ limit: PAGE_SIZE, cursor, status }),
    [status],
  );
  const list = useCursorList(fetchPage);

  const revoke = (grant: Grant) =>
    confirmThen(
      {
        title: t('trust.grants.revokeTitle'),
        message: t('trust.grants.revokeConfirm', {
          name: grant.visitor.name,
          company: grant.visitor.company,
        }),
        confirmLabel: t('trust.grants.revoke'),
        danger: true,
      },
      async () => {
        const result = await trustApi.revokeGrant(grant.id);
        list.update(grant.id, (g) => (status && status !== result.status ? null : { ...g, ...result }));
        notifySuccess(t('trust.grants.revoked', { name: grant.visitor.name }));
      },
    );

  return (
    <Stack>
      {dialog}
      <NativeSelect
        label={t('trust.grants.show')}
        value={status}
        onChange={(e) => setStatus(e.currentTarget.value as GrantStatus | '')}
        data={[
          { value: '', label: t('trust.common.all') },
          ...STATUSES.map((s) => ({ value: s, label: t(`trust.grantStatus.${s}`) })),
        ]}
        w={220}
      />
      <ListTable
        list={list}
        rows={list.items}
        empty={{ title: t('trust.grants.emptyTitle'), description: t('trust.grants.emptyDescription') }}
        noMatch={
          status !== 'active' && {
            title: t('trust.common.noMatchTitle'),
            description: t('trust.common.noMatchDescription'),
            onClear: () => setStatus('active'),
          }
        }
        minWidth={900}
        headers={[
          t('trust.requests.visitor'),
          t('trust.grants.covers'),
          t('common.status'),
          t('trust.grants.expires'),
          t('common.created'),
        ]}
        cells={(g) => (
          <>
            <Table.Td>
              <Text size="sm" fw={500}>
                {g.visitor.name} · {g.visitor.company}
              </Text>
              <Text size="xs" c="dimmed">
                {g.visitor.email}
              </Text>
            </Table.Td>
            <Table.Td>
              {g.level
                ? t('trust.grants.everyLevel', { level: t(`trust.accessLevel.${g.level}`) })
                : g.documentIds.map(docs.nameOf).join(', ')}
            </Table.Td>
            <Table.Td>
              <Badge variant="light" color={STATUS_COLOR[g.status]}>
                {t(`trust.grantStatus.${g.status}`)}
              </Badge>
            </Table.Td>
            <Table.Td>{fmt.dateTime(g.revokedAt ?? g.expiresAt)}</Table.Td>
            <Table.Td>{fmt.date(g.createdAt)}</Table.Td>
            <Table.Td>
              {canManage && g.status === 'active' ? (
                <RowButton
                  danger
                  onClick={() => void revoke(g)}
                  aria-label={t('trust.grants.revokeNamed', { name: g.visitor.name })}
                >
                  {t('trust.grants.revoke')}
                </RowButton>
              ) : null}
            </Table.Td>
          </>
        )}
      />
    </Stack>
  );
}
