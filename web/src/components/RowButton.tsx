import { Button, type ButtonProps } from '@mantine/core';

/**
 * The small text button of a table row ("Revoke", "Details"). `aria-label` names the row's subject, as
 * several rows show the same visible label; `danger` colours it red.
 */
export function RowButton({
  danger,
  ...props
}: ButtonProps & { 'aria-label': string; onClick: () => void; danger?: boolean }) {
  return <Button size="xs" variant="subtle" color={danger ? 'red' : undefined} {...props} />;
}
