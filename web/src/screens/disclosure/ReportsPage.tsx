import { useTranslation } from 'react-i18next';
import { PageHeader } from '../../components/PageHeader';

// Placeholder: the module that owns this screen replaces it.
export function ReportsPage() {
  const { t } = useTranslation('vdpTriage');
  return <PageHeader title={t('title')} />;
}
