import { Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Navigate, useNavigate } from 'react-router-dom';
import { AuthLayout, AuthLink } from '../components/AuthLayout';
import { FullPageLoader } from '../components/FullPageLoader';
import { TotpEnrolment } from '../components/TotpEnrolment';
import { useSession } from '../session';

/** Mandatory authenticator enrolment for staff roles that have none yet. */
export function EnrolMfaPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const { status, session, refresh, logout } = useSession();

  if (status === 'loading') return <FullPageLoader />;
  if (!session) return <Navigate to="/login" replace />;
  if (session.state === 'mfa_required') return <Navigate to="/login/mfa" replace />;
  if (session.state === 'active' && session.user.mfaEnrolled) return <Navigate to="/" replace />;

  const finish = async () => {
    await refresh().catch(() => null);
    navigate('/', { replace: true });
  };

  return (
    <AuthLayout title={t('enrol.title')} wide>
      <Text size="sm">{t('enrol.intro')}</Text>
      <TotpEnrolment onComplete={() => void finish()} />
      <AuthLink onClick={() => void logout()}>{t('common.signOut')}</AuthLink>
    </AuthLayout>
  );
}
