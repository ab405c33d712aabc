import { Anchor, Button, Group, Stack, Tabs, Text } from '@mantine/core';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { LOCALES } from '../../api';
import { onTrustWrite, type Publication, type PublicationStatus, trustApi } from '../../api-trust';
import { PageHeader } from '../../components/PageHeader';
import { useConfirmedAction } from '../../components/useConfirm';
import { notifySuccess } from '../../lib/errors';
import { useFormat } from '../../lib/format';
import { useLoad } from '../../lib/useLoad';
import {
  CertificationsEditor,
  FaqEditor,
  SectionsEditor,
  SubprocessorsEditor,
  UpdatesEditor,
} from './contentCollections';
import { ProfilePanel } from './ProfilePanel';
import { useCanManageContent } from './shared';

const TABS = ['profile', 'certifications', 'sections', 'faq', 'subprocessors', 'updates'] as const;
type Tab = (typeof TABS)[number];

const fetchPublications = () => trustApi.publications().then((r) => r.items);
const fetchStatus = () => trustApi.publicationStatus();

/**
 * "Preview as visitor" links (the draft, in a new tab), the live site, the Publish button with the
 * last publication, and whether the draft has changes the live site does not show (asked again
 * after every save here, as the program page does for its draft).
 */
function PublishBar() {
  const { t } = useTranslation();
  const fmt = useFormat();
  const canManage = useCanManageContent();
  const [dialog, confirmThen] = useConfirmedAction();
  const publications = useLoad<Publication[]>(fetchPublications, []);
  const status = useLoad<PublicationStatus | null>(fetchStatus, null);
  const latest = publications.data[0];
  const reloadStatus = status.reload;
  useEffect(() => onTrustWrite(reloadStatus), [reloadStatus]);
  const pending = status.data?.unpublishedChanges ?? false;

  const publish = () =>
    confirmThen(
      {
        title: t('trust.publish.confirmTitle'),
        message: t('trust.publish.confirmMessage'),
        confirmLabel: t('trust.publish.button'),
      },
      async () => {
        const result = await trustApi.publish();
        publications.setData((prev) => [{ ...result, publishedBy: null }, ...prev]);
        notifySuccess(t('trust.publish.done', { version: result.version }));
      },
    );

  return (
    <Stack gap="xs" align="flex-end">
      {dialog}
      <Group gap="xs">
        <Text size="sm" c="dimmed">
          {t('trust.publish.preview')}
        </Text>
        {LOCALES.map((l) => (
          <Anchor
            key={l}
            href={trustApi.previewUrl(l)}
            target="_blank"
            rel="noopener"
            size="sm"
            aria-label={t('trust.publish.previewIn', { language: t(`languages.${l}`) })}
          >
            {l.toUpperCase()}
          </Anchor>
        ))}
        {status.data?.publishedVersion ? (
          <Anchor
            href={status.data.liveUrl}
            target="_blank"
            rel="noopener"
            size="sm"
            aria-label={t('trust.publish.viewLiveLabel')}
          >
            {t('trust.publish.viewLive')}
          </Anchor>
        ) : null}
        {canManage ? <Button onClick={() => void publish()}>{t('trust.publish.button')}</Button> : null}
      </Group>
      <Text size="xs" c="dimmed" aria-live="polite">
        {latest
          ? t('trust.publish.last', { when: fmt.dateTime(latest.publishedAt), version: latest.version })
          : t('trust.publish.never')}
      </Text>
      {status.data && latest ? (
        <Text
          size="xs"
          c={pending ? 'orange.8' : 'dimmed'}
          fw={pending ? 600 : undefined}
          data-testid="trust-publish-state"
        >
          {pending ? t('trust.publish.pending') : t('trust.publish.upToDate')}
        </Text>
      ) : null}
    </Stack>
  );
}

export function TrustContentPage() {
  const { t } = useTranslation();
  const [tab, setTab] = useState<Tab>('profile');
  return (
    <>
      <PageHeader
        title={t('trust.content.title')}
        description={t('trust.content.description')}
        actions={<PublishBar />}
      />
      <Tabs value={tab} onChange={(v) => v && setTab(v as Tab)} keepMounted={false}>
        <Tabs.List mb="md">
          {TABS.map((key) => (
            <Tabs.Tab key={key} value={key}>
              {t(`trust.content.tabs.${key}`)}
            </Tabs.Tab>
          ))}
        </Tabs.List>
        <Tabs.Panel value="profile">
          <ProfilePanel />
        </Tabs.Panel>
        <Tabs.Panel value="certifications">
          <CertificationsEditor />
        </Tabs.Panel>
        <Tabs.Panel value="sections">
          <SectionsEditor />
        </Tabs.Panel>
        <Tabs.Panel value="faq">
          <FaqEditor />
        </Tabs.Panel>
        <Tabs.Panel value="subprocessors">
          <SubprocessorsEditor />
        </Tabs.Panel>
        <Tabs.Panel value="updates">
          <UpdatesEditor />
        </Tabs.Panel>
      </Tabs>
    </>
  );
}
