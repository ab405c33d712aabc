import { Center, type CenterProps, Loader, type MantineSize } from '@mantine/core';
import { useTranslation } from 'react-i18next';

/** A spinner announced as "Loading…": the status of something not there yet. */
export function StatusLoader({ size, ...props }: Omit<CenterProps, 'children'> & { size?: MantineSize }) {
  const { t } = useTranslation();
  return (
    <Center role="status" {...props}>
      <Loader size={size} aria-label={t('common.loading')} />
    </Center>
  );
}

export function FullPageLoader() {
  return <StatusLoader h="100vh" aria-live="polite" />;
}
