import {
  Alert,
  Anchor,
  Badge,
  Card,
  Group,
  Loader,
  Progress,
  SimpleGrid,
  Stack,
  Text,
  ThemeIcon,
  Title,
  UnstyledButton,
} from '@mantine/core';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { api, type Health, type Home } from '../api';
import { PageHeader } from '../components/PageHeader';
import { errorMessage } from '../lib/errors';
import { useFormat } from '../lib/format';
import { useHome } from '../lib/home';
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

/** Steps a new install still needs, each linking to the screen that does it; gone once all are done. */
function OnboardingCard({ steps }: { steps: Home['onboarding'] }) {
  const { t } = useTranslation();
  const done = steps.filter((step) => step.done).length;
  return (
    <Card withBorder component="section" aria-labelledby="onboarding-heading" data-testid="onboarding">
      <Title order={2} size="h4" id="onboarding-heading">
        {t('home.onboarding.title')}
      </Title>
      <Text size="sm" c="dimmed" mb="xs">
        {t('home.onboarding.progress', { count: done, total: steps.length })}
      </Text>
      <Progress value={(done / steps.length) * 100} size="sm" mb="md" aria-hidden="true" />
      <Stack component="ol" gap="sm" m={0} p={0} style={{ listStyle: 'none' }}>
        {steps.map((step) => (
          <Group component="li" key={step.key} gap="sm" wrap="nowrap" align="flex-start">
            <ThemeIcon
              size="sm"
              radius="xl"
              color={step.done ? 'green' : 'gray'}
              variant={step.done ? 'filled' : 'light'}
              aria-hidden="true"
              mt={2}
            >
              {step.done ? '✓' : ''}
            </ThemeIcon>
            <Stack gap={2} style={{ minWidth: 0 }}>
              {step.done ? (
                <Text size="sm" c="dimmed" td="line-through">
                  {t(`home.onboarding.steps.${step.key}.title`)}
                  <span className="visually-hidden"> ({t('home.onboarding.done')})</span>
                </Text>
              ) : (
                <>
                  <Anchor component={Link} to={step.path} size="sm" fw={500}>
                    {t(`home.onboarding.steps.${step.key}.title`)}
                  </Anchor>
                  <Text size="xs" c="dimmed">
                    {t(`home.onboarding.steps.${step.key}.hint`)}
                  </Text>
                </>
              )}
            </Stack>
          </Group>
        ))}
      </Stack>
    </Card>
  );
}

/** Counts of work waiting for this role, each a link to the list that holds it. */
function AttentionCard({ items }: { items: Home['attention'] }) {
  const { t } = useTranslation();
  const waiting = items.some((item) => item.count > 0);
  return (
    <Card withBorder component="section" aria-labelledby="attention-heading" data-testid="attention">
      <Title order={2} size="h4" id="attention-heading" mb="sm">
        {t('home.attention.title')}
      </Title>
      {!waiting ? (
        <Text size="sm" c="dimmed" mb="sm">
          {t('home.attention.nothing')}
        </Text>
      ) : null}
      <SimpleGrid cols={{ base: 2, md: 4 }} spacing="sm">
        {items.map((item) => {
          const urgent = item.key === 'reportsBreached' && item.count > 0;
          return (
            <UnstyledButton
              key={item.key}
              component={Link}
              to={item.path}
              className="attention-tile"
              data-urgent={urgent || undefined}
              aria-label={t(`home.attention.items.${item.key}`, { count: item.count })}
            >
              <Text fz={28} fw={700} lh={1.1} c={urgent ? 'red' : item.count > 0 ? undefined : 'dimmed'}>
                {item.count}
              </Text>
              <Text size="sm" c="dimmed">
                {t(`home.attention.labels.${item.key}`)}
              </Text>
            </UnstyledButton>
          );
        })}
      </SimpleGrid>
    </Card>
  );
}

function HomeWork() {
  const { t } = useTranslation();
  const { home, error } = useHome();
  if (error && !home)
    return (
      <Alert color="red" role="alert">
        {errorMessage(error, t)}
      </Alert>
    );
  if (!home) return <Loader size="sm" aria-label={t('common.loading')} />;
  const onboardingOpen = home.onboarding.some((step) => !step.done);
  return (
    <>
      {onboardingOpen ? <OnboardingCard steps={home.onboarding} /> : null}
      {home.attention.length > 0 ? <AttentionCard items={home.attention} /> : null}
    </>
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
        title={t('home.title')}
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
        <HomeWork />
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
