import { Badge, Button, Menu, Select, Stack, Table, Text } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useCallback, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ROLES, type Role, type User } from '../../api';
import { ListTable } from '../../components/ListTable';
import { SearchBar } from '../../components/SearchBar';
import { Section } from '../../components/Section';
import { type ConfirmOptions, useConfirmedAction } from '../../components/useConfirm';
import { notifySuccess } from '../../lib/errors';
import { useFormat } from '../../lib/format';
import { useCursorList } from '../../lib/useCursorList';
import { useUser } from '../../session';
import { ChangeRoleModal } from './ChangeRoleModal';

const PAGE_SIZE = 25;
const ALL = 'all';

/** Everyone with an account: search, filter by role, change role, disable/enable, reset two-step verification. */
export function PeopleSection() {
  const { t } = useTranslation();
  const fmt = useFormat();
  const me = useUser();
  const [dialog, confirmThen] = useConfirmedAction();
  const [search, setSearch] = useState('');
  const [role, setRole] = useState<Role | ''>('');
  const [q] = useDebouncedValue(search.trim(), 300);
  const [busy, setBusy] = useState<string | null>(null);

  const fetchPage = useCallback(
    (cursor: string | null) => api.users({ q, role, limit: PAGE_SIZE, cursor }),
    [q, role],
  );
  const list = useCursorList(fetchPage);
  const [changing, setChanging] = useState<User | null>(null);

  /** Admins may not touch owners; nobody edits themselves here (that is what Account security is for). */
  const editable = (u: User) => u.id !== me.id && (me.role === 'owner' || u.role !== 'owner');

  /** Confirms, then runs `action` with the user's Manage button showing progress. */
  const confirmThenRun = (u: User, options: ConfirmOptions, action: () => Promise<void>) =>
    confirmThen(options, async () => {
      setBusy(u.id);
      try {
        await action();
      } finally {
        setBusy(null);
      }
    });

  const toggleStatus = (u: User) => {
    const disabling = u.status === 'active';
    return confirmThenRun(
      u,
      {
        title: disabling ? t('users.disableTitle') : t('users.enableTitle'),
        message: disabling
          ? t('users.disableConfirm', { name: u.name })
          : t('users.enableConfirm', { name: u.name }),
        confirmLabel: disabling ? t('users.disable') : t('users.enable'),
        danger: disabling,
      },
      async () => {
        const updated = await api.updateUser(u.id, { status: disabling ? 'disabled' : 'active' });
        list.update(u.id, () => updated);
        notifySuccess(
          disabling ? t('users.disabled', { name: u.name }) : t('users.enabled', { name: u.name }),
        );
      },
    );
  };

  const resetMfa = (u: User) =>
    confirmThenRun(
      u,
      {
        title: t('users.resetMfaTitle'),
        message: t('users.resetMfaConfirm', { name: u.name }),
        confirmLabel: t('users.resetMfa'),
        danger: true,
      },
      async () => {
        await api.resetUserMfa(u.id);
        list.update(u.id, (item) => ({ ...item, mfaEnrolled: false }));
        notifySuccess(t('users.mfaReset', { name: u.name }));
      },
    );

  const filtered = q !== '' || role !== '';

  return (
    <Section title={t('users.listTitle')}>
      {dialog}
      <ChangeRoleModal
        user={changing}
        onClose={() => setChanging(null)}
        onChanged={(updated) => list.update(updated.id, () => updated)}
      />
      <Stack>
        <SearchBar
          region={t('users.searchRegion')}
          label={t('users.search')}
          placeholder={t('users.searchPlaceholder')}
          value={search}
          onChange={setSearch}
          width={280}
        >
          {/* A listbox rather than a native select, and a label without the word "role", keep the invite
              form's "Role" field the only one that getByLabel('Role') finds on this page. */}
          <Select
            label={t('users.roleFilter')}
            value={role || ALL}
            onChange={(value) => setRole(!value || value === ALL ? '' : (value as Role))}
            allowDeselect={false}
            comboboxProps={{ keepMounted: false }}
            data={[
              { value: ALL, label: t('users.allRoles') },
              ...ROLES.map((r) => ({ value: r, label: t(`roles.${r}`) })),
            ]}
            w={200}
          />
        </SearchBar>
        <ListTable
          list={list}
          rows={list.items}
          empty={{ title: t('users.emptyTitle'), description: t('users.emptyDescription') }}
          noMatch={
            filtered && {
              title: t('users.noMatchTitle'),
              description: t('users.noMatchDescription'),
              onClear: () => {
                setSearch('');
                setRole('');
              },
            }
          }
          minWidth={820}
          striped
          highlightOnHover
          caption={t('users.caption')}
          headers={[
            t('users.person'),
            t('users.role'),
            t('common.status'),
            t('users.mfa'),
            t('common.created'),
            t('users.lastLogin'),
          ]}
          cells={(u) => (
            <>
              <Table.Td>
                <Text size="sm" fw={500}>
                  {u.name}
                  {u.id === me.id ? ` (${t('users.you')})` : ''}
                </Text>
                <Text size="xs" c="dimmed">
                  {u.email}
                </Text>
              </Table.Td>
              <Table.Td>{t(`roles.${u.role}`)}</Table.Td>
              <Table.Td>
                <Badge color={u.status === 'active' ? 'green' : 'gray'} variant="light">
                  {t(`users.status.${u.status}`)}
                </Badge>
              </Table.Td>
              <Table.Td>
                <Badge color={u.mfaEnrolled ? 'green' : 'yellow'} variant="light">
                  {u.mfaEnrolled ? t('users.mfaOn') : t('users.mfaOff')}
                </Badge>
              </Table.Td>
              <Table.Td>{fmt.date(u.createdAt)}</Table.Td>
              <Table.Td>{fmt.dateTime(u.lastLoginAt, t('common.never'))}</Table.Td>
              <Table.Td>
                {editable(u) ? (
                  <Menu position="bottom-end" withinPortal>
                    <Menu.Target>
                      <Button
                        size="xs"
                        variant="default"
                        loading={busy === u.id}
                        aria-label={t('users.manageNamed', { name: u.name })}
                      >
                        {t('users.manage')}
                      </Button>
                    </Menu.Target>
                    <Menu.Dropdown>
                      <Menu.Item onClick={() => setChanging(u)}>{t('users.changeRole')}</Menu.Item>
                      <Menu.Item
                        color={u.status === 'active' ? 'red' : undefined}
                        onClick={() => void toggleStatus(u)}
                      >
                        {u.status === 'active' ? t('users.disable') : t('users.enable')}
                      </Menu.Item>
                      <Menu.Item disabled={!u.mfaEnrolled} onClick={() => void resetMfa(u)}>
                        {t('users.resetMfa')}
                      </Menu.Item>
                    </Menu.Dropdown>
                  </Menu>
                ) : null}
              </Table.Td>
            </>
          )}
        />
      </Stack>
    </Section>
  );
}
