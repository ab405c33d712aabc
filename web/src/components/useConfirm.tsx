import { Button, Group, Modal, Stack, Text } from '@mantine/core';
import { type ReactNode, useCallback, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNotifyError } from '../lib/errors';

export interface ConfirmOptions {
  title: string;
  message: ReactNode;
  confirmLabel: string;
  danger?: boolean;
}

/** Promise-based confirmation dialog: `if (await confirm({...})) doIt();`. Render `dialog` once. */
export function useConfirm(): [ReactNode, (options: ConfirmOptions) => Promise<boolean>] {
  const { t } = useTranslation();
  const [options, setOptions] = useState<ConfirmOptions | null>(null);
  const resolver = useRef<((ok: boolean) => void) | null>(null);

  const close = useCallback((ok: boolean) => {
    resolver.current?.(ok);
    resolver.current = null;
    setOptions(null);
  }, []);

  const confirm = useCallback((next: ConfirmOptions) => {
    resolver.current?.(false);
    setOptions(next);
    return new Promise<boolean>((resolve) => {
      resolver.current = resolve;
    });
  }, []);

  const dialog = (
    <Modal opened={options !== null} onClose={() => close(false)} title={options?.title} centered>
      <Stack>
        <Text size="sm">{options?.message}</Text>
        <Group justify="flex-end">
          <Button variant="default" onClick={() => close(false)}>
            {t('common.cancel')}
          </Button>
          <Button color={options?.danger ? 'red' : undefined} onClick={() => close(true)} data-autofocus>
            {options?.confirmLabel}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
  return [dialog, confirm];
}

/**
 * A confirmation dialog in front of an action: `confirmThen(options, action)` asks, runs `action` if the user
 * agrees, and shows a failure as an error notification. Render `dialog` once.
 */
export function useConfirmedAction(): [
  ReactNode,
  (options: ConfirmOptions, action: () => Promise<void>) => Promise<void>,
] {
  const [dialog, confirm] = useConfirm();
  const notifyError = useNotifyError();
  const confirmThen = useCallback(
    async (options: ConfirmOptions, action: () => Promise<void>) => {
      if (!(await confirm(options))) return;
      try {
        await action();
      } catch (err) {
        notifyError(err);
      }
    },
    [confirm, notifyError],
  );
  return [dialog, confirmThen];
}
