import { Stack } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { PageHeader } from '../components/PageHeader';
import { PasskeysSection } from './account/PasskeysSection';
import { PasswordSection } from './account/PasswordSection';
import { ProfileSection } from './account/ProfileSection';
import { RecoveryCodesSection } from './account/RecoveryCodesSection';
import { SessionsSection } from './account/SessionsSection';
import { TotpSection } from './account/TotpSection';

export function AccountPage() {
  const { t } = useTranslation();
  return (
    <>
      <PageHeader title={t('account.title')} description={t('account.description')} />
      <Stack gap="lg" maw={960}>
        <ProfileSection />
        <PasswordSection />
        <TotpSection />
        <RecoveryCodesSection />
        <PasskeysSection />
        <SessionsSection />
      </Stack>
    </>
  );
}
