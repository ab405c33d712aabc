import { Button, Group } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link, useLocation } from 'react-router-dom';
import { DISCLOSURE_REPORT_ROLES, hasRole } from '../../lib/permissions';
import { useUser } from '../../session';

const PAGES = [
  { key: 'inbox', path: '/disclosure/reports' },
  { key: 'metrics', path: '/disclosure/metrics' },
  { key: 'canned', path: '/disclosure/reports/canned-responses' },
] as const;

/** The sub-pages of the reports area, as a small navigation landmark (the current one marked). */
export function ReportsNav() {
  const { t } = useTranslation('vdpTriage');
  const { pathname } = useLocation();
  const { role } = useUser();
  // Auditors read the metrics (at /disclosure/metrics) but never reports: no links into the inbox.
  if (!hasRole(role, DISCLOSURE_REPORT_ROLES)) return null;
  return (
    <Group component="nav" aria-label={t('nav.label')} gap="xs" mb="md">
      {PAGES.map((page) => {
        const current = pathname === page.path;
        return (
          <Button
            key={page.key}
            component={Link}
            to={page.path}
            variant={current ? 'light' : 'subtle'}
            size="xs"
            aria-current={current ? 'page' : undefined}
          >
            {t(`nav.${page.key}`)}
          </Button>
        );
      })}
    </Group>
  );
}
