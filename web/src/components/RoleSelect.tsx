import { Select } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { Role } from '../api';
import { assignableRoles } from '../lib/permissions';
import { useUser } from '../session';

/**
 * The "Role" picker of the invite, API-token and change-role forms: a listbox whose options are the roles
 * the signed-in user may hand out, with a one-line description of the chosen role.
 */
export function RoleSelect({
  value,
  onChange,
  error,
  label,
}: {
  value: Role;
  onChange: (role: Role) => void;
  error?: string;
  label?: string;
}) {
  const { t } = useTranslation();
  const me = useUser();
  const roles = assignableRoles(me.role);
  return (
    <Select
      label={label ?? t('fields.role')}
      value={value}
      onChange={(next) => {
        if (next) onChange(next as Role);
      }}
      allowDeselect={false}
      data={(roles.includes(value) ? roles : [value, ...roles]).map((r) => ({
        value: r,
        label: t(`roles.${r}`),
      }))}
      description={t(`roleDescriptions.${value}`)}
      inputWrapperOrder={['label', 'input', 'description', 'error']}
      error={error}
      // Unmount the closed listbox: it is labelled by this field and would make getByLabel('Role') ambiguous.
      comboboxProps={{ withinPortal: true, keepMounted: false }}
    />
  );
}
