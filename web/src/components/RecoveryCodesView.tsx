import { Alert, Button, Code, CopyButton, Group, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';

function download(codes: string[], filename: string) {
  const blob = new Blob([`${codes.join('\n')}\n`], { type: 'text/plain;charset=utf-8' });
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  document.body.append(link);
  link.click();
  link.remove();
  window.setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** Shows freshly generated recovery codes once, and waits for the user to confirm they saved them. */
export function RecoveryCodesView({
  codes,
  onContinue,
  headingOrder = 2,
}: {
  codes: string[];
  onContinue: () => void;
  headingOrder?: 2 | 3;
}) {
  const { t } = useTranslation();
  return (
    <Stack>
      <Title order={headingOrder}>{t('recovery.title')}</Title>
      <Alert color="yellow">{t('recovery.warning')}</Alert>
      <Text size="sm">{t('recovery.explain')}</Text>
      <ul className="recovery-codes" data-testid="recovery-codes" aria-label={t('recovery.listLabel')}>
        {codes.map((code) => (
          <li key={code}>
            <Code fz="md">{code}</Code>
          </li>
        ))}
      </ul>
      <Group>
        <CopyButton value={codes.join('\n')}>
          {({ copied, copy }) => (
            <Button variant="light" onClick={copy}>
              {copied ? t('common.copied') : t('recovery.copy')}
            </Button>
          )}
        </CopyButton>
        <Button variant="light" onClick={() => download(codes, 'attest-recovery-codes.txt')}>
          {t('recovery.download')}
        </Button>
      </Group>
      <Button onClick={onContinue}>{t('recovery.saved')}</Button>
    </Stack>
  );
}
