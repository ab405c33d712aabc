import { Badge, NativeSelect, Stack, Table, Text } from '@mantine/core';
import { useCallback, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, type Invitation, type InvitationStatus } from '../../api';
import { ListTable } from '../../components/ListTable';
import { RowButton } from '../../components/RowButton';
import { SearchBar } from '../../components/SearchBar';
import { Section } from '../../components/Section';
import { useConfirmedAction } from '../../components/useConfirm';
import { notifySuccess } from '../../lib/errors';
import { useFormat } from '../../lib/format';
import { matches, needleOf } from '../../lib/search';
import { useCursorList, withAdded } from '../../lib/useCursorList';
import { useUserNames } from '../../lib/useUserNames';

const PAGE_SIZE = 25;
const STATUSES: InvitationStatus[] = ['pending', 'accepted', 'expired', 'revoked'];
const STATUS_COLOR: Record<InvitationStatus, string> = {
  pending: 'blue',
  accepted: 'green',
  expired: 'gray',
  revoked: 'red',
};

/** Sent invitations with their status; pending ones can be revoked. `added` are those sent from this page. */
export function InvitationsSection({
  added,
  onChange,
}: {
  added: Invitation[];
  onChange: (invitations: Invitation[]) => void;
}) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const [dialog, confirmThen] = useConfirmedAction();
  const [search, setSearch] = useState('');
  const [status, setStatus] = useState<InvitationStatus | ''>('');
  const userName = useUserNames();

  const fetchPage = useCallback((cursor: string | null) => api.invitations({ limit: PAGE_SIZE, cursor }), []);
  const list = useCursorList(fetchPage);

  const all = useMemo(() => withAdded(added, list.items), [added, list.items]);
  const needle = needleOf(search);
  const visible = all.filter((i) => matches(needle, i.email) && (!status || i.status === status));
  const filtered = needle !== '' || status !== '';

  const revoke = (invitation: Invitation) =>
    confirmThen(
      {
        title: t('invitations.revokeTitle'),
        message: t('invitations.revokeConfirm', { email: invitation.email }),
        confirmLabel: t('invitations.revoke'),
        danger: true,
      },
      async () => {
        await api.revokeInvitation(invitation.id);
        const mark = (i: Invitation) => ({ ...i, status: 'revoked' as const });
        list.update(invitation.id, mark);
        onChange(added.map((i) => (i.id === invitation.id ? mark(i) : i)));
        notifySuccess(t('invitations.revoked', { email: invitation.email }));
      },
    );

  return (
    <Section title={t('invitations.listTitle')}>
      {dialog}
      <Stack>
        <SearchBar
          region={t('invitations.searchRegion')}
          label={t('invitations.search')}
          placeholder={t('invitations.searchPlaceholder')}
          value={search}
          onChange={setSearch}
          width={280}
        >
          <NativeSelect
            label={t('common.status')}
            value={status}
            onChange={(e) => setStatus(e.currentTarget.value as InvitationStatus | '')}
            data={[
              { value: '', label: t('invitations.allStatuses') },
              ...STATUSES.map((s) => ({ value: s, label: t(`invitations.status.${s}`) })),
            ]}
          />
        </SearchBar>
        <ListTable
          list={list}
          rows={visible}
          empty={{ title: t('invitations.emptyTitle'), description: t('invitations.emptyDescription') }}
          noMatch={
            filtered && {
              title: t('invitations.noMatchTitle'),
              description: t('invitations.noMatchDescription'),
            }
          }
          minWidth={760}
          striped
          headers={[
            t('invitations.invitee'),
            t('users.role'),
            t('common.status'),
            t('invitations.invitedBy'),
            t('invitations.sentAt'),
            t('invitations.expiresAt'),
          ]}
          cells={(i) => (
            <>
              <Table.Td>{i.email}</Table.Td>
              <Table.Td>{t(`roles.${i.role}`)}</Table.Td>
              <Table.Td>
                <Badge color={STATUS_COLOR[i.status]} variant="light">
                  {t(`invitations.status.${i.status}`)}
                </Badge>
              </Table.Td>
              <Table.Td>
                <Text size="sm">{userName(i.invitedBy)}</Text>
              </Table.Td>
              <Table.Td>{fmt.dateTime(i.createdAt)}</Table.Td>
              <Table.Td>{fmt.dateTime(i.expiresAt)}</Table.Td>
              <Table.Td>
                {i.status === 'pending' ? (
                  <RowButton
                    danger
                    onClick={() => void revoke(i)}
                    aria-label={t('invitations.revokeNamed', { email: i.email })}
                  >
                    {t('invitations.revoke')}
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
