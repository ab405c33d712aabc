import { Group, TextInput } from '@mantine/core';
import type { ReactNode } from 'react';

/**
 * A list's search landmark: a search box, and any further filters (`children`) beside it, aligned on the
 * inputs' bottom edge.
 */
export function SearchBar({
  region,
  label,
  placeholder,
  value,
  onChange,
  width,
  children,
}: {
  /** The landmark's accessible name. */
  region: string;
  label: string;
  placeholder: string;
  value: string;
  onChange: (value: string) => void;
  width: number;
  children?: ReactNode;
}) {
  return (
    <Group align={children ? 'flex-end' : undefined} role="search" aria-label={region}>
      <TextInput
        label={label}
        placeholder={placeholder}
        type="search"
        value={value}
        onChange={(e) => onChange(e.currentTarget.value)}
        w={width}
      />
      {children}
    </Group>
  );
}
