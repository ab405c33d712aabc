import { Badge, Button, Group, Text } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Section } from '../../components/Section';
import { TotpEnrolment } from '../../components/TotpEnrolment';
import { notifySuccess } from '../../lib/errors';
import { useSession, useUser } from '../../session';

export function TotpSection() {
  const { t } = useTranslation();
  const user = useUser();
  const { refresh } = useSession();
  const [enrolling, setEnrolling] = useState(false);

  const complete = async () => {
    setEnrolling(false);
    await refresh().catch(() => null);
    notifySuccess(t('account.totp.done'));
  };

  return (
    <Section
      title={t('account.totp.title')}
      description={t('account.totp.description')}
      actions={
        <Badge color={user.mfaEnrolled ? 'green' : 'yellow'} variant="light">
          {user.mfaEnrolled ? t('account.totp.on') : t('account.totp.off')}
        </Badge>
      }
    >
      {enrolling ? (
        <TotpEnrolment
          headingOrder={3}
          stepUp
          onComplete={() => void complete()}
          onCancel={() => setEnrolling(false)}
        />
      ) : (
        <Group>
          {user.mfaEnrolled ? <Text size="sm">{t('account.totp.replaceHint')}</Text> : null}
          <Button variant={user.mfaEnrolled ? 'default' : 'filled'} onClick={() => setEnrolling(true)}>
            {user.mfaEnrolled ? t('account.totp.replace') : t('account.totp.setUp')}
          </Button>
        </Group>
      )}
    </Section>
  );
}
