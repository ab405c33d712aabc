import {
  AppShell,
  Badge,
  Burger,
  Button,
  Group,
  NavLink,
  ScrollArea,
  Stack,
  Text,
  VisuallyHidden,
} from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { Suspense, useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Outlet, useLocation } from 'react-router-dom';
import { useNotifyError } from '../lib/errors';
import { attentionCount, HomeProvider, useHome } from '../lib/home';
import { NAV_GROUPS, NAV_ITEMS, type NavItem } from '../lib/nav';
import { hasRole } from '../lib/permissions';
import { useSession, useUser } from '../session';
import { StatusLoader } from './FullPageLoader';
import { LanguageSwitcher } from './LanguageSwitcher';

function isActive(pathname: string, path: string): boolean {
  return path === '/' ? pathname === '/' : pathname === path || pathname.startsWith(`${path}/`);
}

/** A count on a navigation entry: how many things there need someone (red when some are late). */
function AttentionBadge({ item }: { item: NavItem }) {
  const { t } = useTranslation();
  const { home } = useHome();
  if (!item.attention) return null;
  const count = item.attention.keys.reduce((sum, key) => sum + attentionCount(home, key), 0);
  if (count === 0) return null;
  const urgent = item.attention.urgent.some((key) => attentionCount(home, key) > 0);
  return (
    <Badge
      size="sm"
      circle={count < 10}
      color={urgent ? 'red' : 'blue'}
      variant={urgent ? 'filled' : 'light'}
    >
      <span aria-hidden="true">{count}</span>
      <VisuallyHidden>{t('shell.needAttention', { count })}</VisuallyHidden>
    </Badge>
  );
}

function NavEntries({ items, pathname }: { items: readonly NavItem[]; pathname: string }) {
  const { t } = useTranslation();
  return items.map((item) => {
    const active = isActive(pathname, item.path);
    return (
      <NavLink
        key={item.key}
        component={Link}
        to={item.path}
        label={t(`nav.${item.key}`)}
        rightSection={<AttentionBadge item={item} />}
        active={active}
        aria-current={active ? 'page' : undefined}
      />
    );
  });
}

/** Signed-in layout: header, role-aware navigation and the page. */
export function Shell() {
  return (
    <HomeProvider>
      <ShellFrame />
    </HomeProvider>
  );
}

function ShellFrame() {
  const { t } = useTranslation();
  const user = useUser();
  const { logout } = useSession();
  const notifyError = useNotifyError();
  const { pathname } = useLocation();
  const [opened, { toggle, close }] = useDisclosure(false);

  // Close the mobile navigation after choosing a page.
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs on navigation.
  useEffect(() => close(), [pathname, close]);

  const signOut = async () => {
    try {
      await logout();
      notifications.show({ message: t('shell.signedOut') });
    } catch (err) {
      notifyError(err);
    }
  };

  const items = NAV_ITEMS.filter((item) => !item.roles || hasRole(user.role, item.roles));

  return (
    <AppShell
      header={{ height: 56 }}
      navbar={{ width: 250, breakpoint: 'sm', collapsed: { mobile: !opened } }}
      padding="md"
    >
      <a className="skip-link" href="#main">
        {t('common.skipToContent')}
      </a>
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap">
            <Burger
              opened={opened}
              onClick={toggle}
              hiddenFrom="sm"
              size="sm"
              aria-label={opened ? t('shell.closeNav') : t('shell.openNav')}
              aria-expanded={opened}
              aria-controls="main-navigation"
            />
            <Text component={Link} to="/" fw={700} size="lg" c="inherit" td="none">
              {t('app.name')}
            </Text>
          </Group>
          <Group gap="sm" wrap="nowrap">
            <Text size="sm" visibleFrom="sm" c="dimmed">
              {user.name}
            </Text>
            <LanguageSwitcher />
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="sm" id="main-navigation" aria-label={t('shell.navLabel')}>
        {/* The list scrolls on short screens, so the account block and sign-out stay in view. */}
        <AppShell.Section grow component={ScrollArea} type="auto" offsetScrollbars>
          <div>
            <NavEntries items={items.filter((item) => item.group === null)} pathname={pathname} />
            {NAV_GROUPS.map((group) => {
              const entries = items.filter((item) => item.group === group);
              // An area the role cannot open (or that has no screens yet) shows no header.
              if (entries.length === 0) return null;
              return (
                // biome-ignore lint/a11y/useSemanticElements: a group of links, not of form controls (no fieldset).
                <div key={group} role="group" aria-labelledby={`nav-group-${group}`}>
                  <Text
                    id={`nav-group-${group}`}
                    size="xs"
                    fw={700}
                    c="dimmed"
                    tt="uppercase"
                    px="sm"
                    pt="md"
                    pb={4}
                  >
                    {t(`nav.groups.${group}`)}
                  </Text>
                  <NavEntries items={entries} pathname={pathname} />
                </div>
              );
            })}
          </div>
        </AppShell.Section>
        <AppShell.Section>
          <Stack gap={4} pt="sm">
            <Text size="sm" fw={500} truncate>
              {user.name}
            </Text>
            <Text size="xs" c="dimmed" truncate>
              {user.email} · {t(`roles.${user.role}`)}
            </Text>
            <Button variant="default" size="xs" mt="xs" onClick={() => void signOut()}>
              {t('common.signOut')}
            </Button>
          </Stack>
        </AppShell.Section>
      </AppShell.Navbar>
      <AppShell.Main id="main" tabIndex={-1}>
        {/* A lazily loaded screen shows a spinner in the page, keeping the navigation in place. */}
        <Suspense fallback={<StatusLoader h="50vh" />}>
          <Outlet />
        </Suspense>
      </AppShell.Main>
    </AppShell>
  );
}
