import { Alert, Anchor, Badge, Card, Group, Loader, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { api, type Health } from '../api';
import { PageHeader } from '../components/PageHeader';
import { errorMessage } from '../lib/errors';
import { useFormat } from '../lib/format';
import { useSession, useUser } from '../session';

function statusColor(value: string): string {
  return ['ok', 'up', 'healthy', 'pass'].includes(value.toLowerCase()) ? 'green' : 'red';
}

function HealthCard() {
  const { t } = useTranslation();
  const [health, setHealth] = useState<Health | null>(null);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    api
      .health()
      .then(setHealth)
      .catch((err: unknown) => setError(err));
  }, []);

  return (
    <Card withBorder component="section" aria-labelledby="health-heading">
      <Title order={2} size="h4" id="health-heading" mb="sm">
        {t('dashboard.health')}
      </Title>
      {error ? (
        <Alert color="red" role="alert">
          {errorMessage(error, t)}
        </Alert>
      ) : !health ? (
        <Loader size="sm" aria-label={t('common.loading')} />
      ) : (
        <Stack gap="xs">
          <Group justify="space-between">
            <Text size="sm">{t('dashboard.server')}</Text>
            <Badge color={statusColor(health.status)}>{health.status}</Badge>
          </Group>
          <Group justify="space-between">
            <Text size="sm">{t('dashboard.database')}</Text>
            <Badge color={statusColor(health.db)}>{health.db}</Badge>
          </Group>
          <Group justify="space-between">
            <Text size="sm">{t('dashboard.version')}</Text>
            <Text size="sm" ff="monospace">
              {health.version}
            </Text>
          </Group>
        </Stack>
      )}
    </Card>
  );
}

export function DashboardPage() {
  const { t } = useTranslation();
  const user = useUser();
  const { session } = useSession();
  const fmt = useFormat();

  return (
    <>
      <PageHeader
        title={t('dashboard.title')}
        description={t('dashboard.welcome', { name: user.name, role: t(`roles.${user.role}`) })}
      />
      <Stack>
        {!user.mfaEnrolled ? (
          <Alert color="yellow" title={t('dashboard.mfaTitle')}>
            <Text size="sm">{t('dashboard.mfaBody')}</Text>
            <Anchor component={Link} to="/account" size="sm">
              {t('dashboard.mfaAction')}
            </Anchor>
          </Alert>
        ) : null}
        <SimpleGrid cols={{ base: 1, md: 2 }}>
          <Card withBorder component="section" aria-labelledby="you-heading">
            <Title order={2} size="h4" id="you-heading" mb="sm">
              {t('dashboard.you')}
            </Title>
            <Stack gap="xs">
              <Group justify="space-between">
                <Text size="sm">{t('dashboard.signedInAs')}</Text>
                <Text size="sm">{user.email}</Text>
              </Group>
              <Group justify="space-between">
                <Text size="sm">{t('fields.role')}</Text>
                <Badge variant="light">{t(`roles.${user.role}`)}</Badge>
              </Group>
              <Group justify="space-between">
                <Text size="sm">{t('users.mfa')}</Text>
                <Badge color={user.mfaEnrolled ? 'green' : 'yellow'} variant="light">
                  {user.mfaEnrolled ? t('users.mfaOn') : t('users.mfaOff')}
                </Badge>
              </Group>
              <Group justify="space-between">
                <Text size="sm">{t('dashboard.sessionExpires')}</Text>
                <Text size="sm">{fmt.dateTime(session?.expiresAt)}</Text>
              </Group>
            </Stack>
          </Card>
          <HealthCard />
        </SimpleGrid>
      </Stack>
    </>
  );
}
