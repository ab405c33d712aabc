import { Button, EmptyState } from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { PageHeader } from '../components/PageHeader';

/**
 * A path the app does not know, shown inside the app's frame (it is routed under the shell, so a
 * signed-in user keeps the navigation; a visitor without a session signs in first, as for any page).
 */
export function NotFoundPage() {
  const { t } = useTranslation();
  useDocumentTitle(`${t('notFound.title')} · ${t('app.name')}`);
  return (
    <>
      <PageHeader title={t('notFound.title')} />
      <EmptyState title={t('notFound.description')}>
        <EmptyState.Actions>
          <Button component={Link} to="/">
            {t('notFound.home')}
          </Button>
        </EmptyState.Actions>
      </EmptyState>
    </>
  );
}
