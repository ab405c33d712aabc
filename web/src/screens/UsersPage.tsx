import { Stack } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Invitation } from '../api';
import { PageHeader } from '../components/PageHeader';
import { InvitationsSection } from './users/InvitationsSection';
import { InviteForm } from './users/InviteForm';
import { PeopleSection } from './users/PeopleSection';

/** People with an account, the invite form and the invitations sent. */
export function UsersPage() {
  const { t } = useTranslation();
  const [added, setAdded] = useState<Invitation[]>([]);
  return (
    <>
      <PageHeader title={t('users.title')} description={t('users.description')} />
      <Stack gap="lg">
        <InviteForm onInvited={(invitation) => setAdded((prev) => [invitation, ...prev])} />
        <PeopleSection />
        <InvitationsSection added={added} onChange={setAdded} />
      </Stack>
    </>
  );
}
