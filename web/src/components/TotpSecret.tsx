import { Button, Code, CopyButton, Group, Image, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { TotpSetup } from '../api';

/** QR code plus the secret as text, for authenticator apps that cannot scan. */
export function TotpSecret({ setup }: { setup: TotpSetup }) {
  const { t } = useTranslation();
  return (
    <Group align="flex-start" gap="lg" wrap="wrap">
      <Image
        src={setup.qrDataUrl}
        alt={t('totp.qrAlt')}
        w={180}
        h={180}
        fit="contain"
        bg="white"
        radius="sm"
      />
      <Stack gap="xs" maw={320}>
        <Text size="sm">{t('totp.scan')}</Text>
        <Text size="sm" id="totp-secret-label">
          {t('totp.manual')}
        </Text>
        <Code block data-testid="totp-secret" aria-labelledby="totp-secret-label" fz="md">
          {setup.secret}
        </Code>
        <CopyButton value={setup.secret}>
          {({ copied, copy }) => (
            <Button size="xs" variant="light" onClick={copy} w="fit-content">
              {copied ? t('common.copied') : t('totp.copySecret')}
            </Button>
          )}
        </CopyButton>
      </Stack>
    </Group>
  );
}
