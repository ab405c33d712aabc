import { Anchor, Box, Container, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { LanguageSwitcher } from './LanguageSwitcher';

/** Layout for the signed-out screens: a small header and one centred card. */
export function AuthLayout({
  title,
  children,
  wide,
}: {
  title: string;
  children: ReactNode;
  wide?: boolean;
}) {
  const { t } = useTranslation();
  useDocumentTitle(`${title} · ${t('app.name')}`);
  return (
    <>
      <a className="skip-link" href="#main">
        {t('common.skipToContent')}
      </a>
      <Box component="header" px="md" py="sm">
        <Group justify="space-between">
          <Text fw={700} size="lg">
            {t('app.name')}
          </Text>
          <LanguageSwitcher />
        </Group>
      </Box>
      <Container component="main" id="main" tabIndex={-1} size={wide ? 640 : 460} py="xl">
        <Paper withBorder p="xl" radius="md">
          <Stack>
            <Title order={1} size="h2">
              {title}
            </Title>
            {children}
          </Stack>
        </Paper>
      </Container>
    </>
  );
}

/** A small centred link under a signed-out form: to another screen (`to`) or an action such as signing out. */
export function AuthLink({
  children,
  ...target
}: { children: ReactNode } & ({ to: string } | { onClick: () => void })) {
  return (
    <Group justify="center">
      {'to' in target ? (
        <Anchor component={Link} to={target.to} size="sm">
          {children}
        </Anchor>
      ) : (
        <Anchor component="button" type="button" size="sm" onClick={target.onClick}>
          {children}
        </Anchor>
      )}
    </Group>
  );
}
