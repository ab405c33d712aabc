import { Button, Group, Modal, Stack, Text } from '@mantine/core';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, type Role, type User } from '../../api';
import { FormError } from '../../components/FormError';
import { RoleSelect } from '../../components/RoleSelect';
import { notifySuccess } from '../../lib/errors';
import { useSubmit } from '../../lib/useSubmit';

/** Pick a new role for one user. */
export function ChangeRoleModal({
  user,
  onClose,
  onChanged,
}: {
  user: User | null;
  onClose: () => void;
  onChanged: (user: User) => void;
}) {
  const { t } = useTranslation();
  const [role, setRole] = useState<Role>(user?.role ?? 'employee');

  useEffect(() => {
    if (user) setRole(user.role);
  }, [user]);

  const submit = useSubmit(async () => {
    if (!user) return;
    if (role !== user.role) {
      const updated = await api.updateUser(user.id, { role });
      onChanged(updated);
      notifySuccess(t('users.roleChanged', { name: user.name }));
    }
    onClose();
  });

  return (
    <Modal opened={user !== null} onClose={onClose} title={t('users.changeRoleTitle')} centered>
      {user ? (
        <form onSubmit={submit.onSubmit} noValidate>
          <Stack>
            <Text size="sm">{t('users.changeRoleFor', { name: user.name, email: user.email })}</Text>
            <FormError message={submit.error} />
            <RoleSelect
              label={t('users.newRole')}
              value={role}
              onChange={setRole}
              error={submit.fieldErrors.role}
            />
            <Group justify="flex-end">
              <Button variant="default" onClick={onClose}>
                {t('common.cancel')}
              </Button>
              <Button type="submit" loading={submit.submitting}>
                {t('users.changeRole')}
              </Button>
            </Group>
          </Stack>
        </form>
      ) : null}
    </Modal>
  );
}
