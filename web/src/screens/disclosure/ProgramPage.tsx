import { useTranslation } from 'react-i18next';
import { PageHeader } from '../../components/PageHeader';

// Placeholder: the module that owns this screen replaces it.
export function ProgramPage() {
  const { t } = useTranslation('vdpProgram');
  return <PageHeader title={t('title')} />;
}
