import { Badge, Table } from '@mantine/core';
import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import { type Subscriber, trustApi } from '../../api-trust';
import { ListTable } from '../../components/ListTable';
import { RowButton } from '../../components/RowButton';
import { useConfirmedAction } from '../../components/useConfirm';
import { notifySuccess } from '../../lib/errors';
import { useFormat } from '../../lib/format';
import { useCursorList } from '../../lib/useCursorList';
import { PAGE_SIZE, useCanManageAccess } from './shared';

/** People who subscribed (on the public site) to subprocessor changes and security updates. */
export function SubscribersPanel() {
  const { t } = useTranslation();
  const fmt = useFormat();
  const canManage = useCanManageAccess();
  const [dialog, confirmThen] = useConfirmedAction();
  const fetchPage = useCallback(
    (cursor: string | null) => trustApi.subscribers({ limit: PAGE_SIZE, cursor }),
    [],
  );
  const list = useCursorList(fetchPage);

  const remove = (s: Subscriber) =>
    confirmThen(
      {
        title: t('trust.subscribers.removeTitle'),
        message: t('trust.subscribers.removeConfirm', { email: s.email }),
        confirmLabel: t('trust.subscribers.remove'),
        danger: true,
      },
      async () => {
        await trustApi.deleteSubscriber(s.id);
        list.update(s.id, () => null);
        notifySuccess(t('trust.subscribers.removed', { email: s.email }));
      },
    );

  return (
    <>
      {dialog}
      <ListTable
        list={list}
        rows={list.items}
        empty={{
          title: t('trust.subscribers.emptyTitle'),
          description: t('trust.subscribers.emptyDescription'),
        }}
        headers={[
          t('trust.subscribers.email'),
          t('trust.subscribers.topics'),
          t('trust.subscribers.language'),
          t('common.status'),
          t('common.created'),
        ]}
        minWidth={760}
        cells={(s) => (
          <>
            <Table.Td>{s.email}</Table.Td>
            <Table.Td>{s.topics.join(', ')}</Table.Td>
            <Table.Td>{s.locale}</Table.Td>
            <Table.Td>
              <Badge variant="light" color={s.confirmed ? 'green' : 'gray'}>
                {s.confirmed ? t('trust.subscribers.confirmed') : t('trust.subscribers.unconfirmed')}
              </Badge>
            </Table.Td>
            <Table.Td>{fmt.date(s.createdAt)}</Table.Td>
            <Table.Td>
              {canManage ? (
                <RowButton
                  danger
                  onClick={() => void remove(s)}
                  aria-label={t('trust.subscribers.removeNamed', { email: s.email })}
                >
                  {t('trust.subscribers.remove')}
                </RowButton>
              ) : null}
            </Table.Td>
          </>
        )}
      />
    </>
  );
}
