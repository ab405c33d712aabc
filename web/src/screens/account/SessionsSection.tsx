import { Badge, Button, Group, Table, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { api, type UserSession } from '../../api';
import { ListTable } from '../../components/ListTable';
import { RowButton } from '../../components/RowButton';
import { Section } from '../../components/Section';
import { useConfirmedAction } from '../../components/useConfirm';
import { notifySuccess } from '../../lib/errors';
import { useFormat } from '../../lib/format';
import { useLoad } from '../../lib/useLoad';
import { describeUserAgent } from '../../lib/userAgent';
import { useSession } from '../../session';

const loadSessions = () => api.sessions().then((res) => res.items);

export function SessionsSection() {
  const { t } = useTranslation();
  const fmt = useFormat();
  const { refresh } = useSession();
  const [dialog, confirmThen] = useConfirmedAction();
  const sessions = useLoad<UserSession[]>(loadSessions, []);

  const device = (s: UserSession) => {
    const ua = describeUserAgent(s.userAgent);
    return ua ? t('account.sessions.device', ua) : (s.userAgent ?? t('account.sessions.unknownDevice'));
  };

  const revoke = (s: UserSession) =>
    confirmThen(
      {
        title: s.current ? t('account.sessions.signOutTitle') : t('account.sessions.revokeTitle'),
        message: s.current
          ? t('account.sessions.signOutConfirm')
          : t('account.sessions.revokeConfirm', { device: device(s) }),
        confirmLabel: s.current ? t('account.sessions.endCurrent') : t('account.sessions.revoke'),
        danger: true,
      },
      async () => {
        await api.revokeSession(s.id);
        if (s.current) {
          await refresh().catch(() => null);
          return;
        }
        sessions.setData((prev) => prev.filter((x) => x.id !== s.id));
        notifySuccess(t('account.sessions.revoked'));
      },
    );

  return (
    <Section
      title={t('account.sessions.title')}
      description={t('account.sessions.description')}
      actions={
        <Button variant="default" size="xs" onClick={sessions.reload}>
          {t('common.refresh')}
        </Button>
      }
    >
      {dialog}
      <ListTable
        list={sessions}
        rows={sessions.data}
        empty={{
          title: t('account.sessions.emptyTitle'),
          description: t('account.sessions.emptyDescription'),
        }}
        minWidth={640}
        headers={[
          t('account.sessions.deviceColumn'),
          t('account.sessions.ip'),
          t('account.sessions.signedIn'),
          t('account.sessions.lastSeen'),
        ]}
        cells={(s) => (
          <>
            <Table.Td>
              <Group gap="xs" wrap="nowrap">
                <Text size="sm" title={s.userAgent ?? undefined}>
                  {device(s)}
                </Text>
                {s.current ? (
                  <Badge size="sm" variant="light">
                    {t('account.sessions.current')}
                  </Badge>
                ) : null}
              </Group>
            </Table.Td>
            <Table.Td>
              <Text size="sm" ff="monospace">
                {s.ip ?? '—'}
              </Text>
            </Table.Td>
            <Table.Td>{fmt.dateTime(s.createdAt)}</Table.Td>
            <Table.Td>{fmt.dateTime(s.lastSeenAt)}</Table.Td>
            <Table.Td>
              <RowButton
                danger
                onClick={() => void revoke(s)}
                aria-label={
                  s.current
                    ? t('account.sessions.endCurrent')
                    : t('account.sessions.revokeNamed', { device: device(s) })
                }
              >
                {s.current ? t('account.sessions.endCurrent') : t('account.sessions.revoke')}
              </RowButton>
            </Table.Td>
          </>
        )}
      />
    </Section>
  );
}
