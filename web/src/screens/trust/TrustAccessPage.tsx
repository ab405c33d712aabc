import { Stack, Tabs } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { PageHeader } from '../../components/PageHeader';
import { Section } from '../../components/Section';
import { DomainsPanel } from './DomainsPanel';
import { ExemptionsPanel } from './ExemptionsPanel';
import { GrantsPanel } from './GrantsPanel';
import { NdaPanel } from './NdaPanel';
import { RequestsPanel } from './RequestsPanel';
import { SubscribersPanel } from './SubscribersPanel';

const TABS = ['requests', 'grants', 'domains', 'nda', 'subscribers'] as const;
type Tab = (typeof TABS)[number];

export function TrustAccessPage() {
  const { t } = useTranslation();
  const [tab, setTab] = useState<Tab>('requests');
  return (
    <>
      <PageHeader title={t('trust.access.title')} description={t('trust.access.description')} />
      <Tabs value={tab} onChange={(v) => v && setTab(v as Tab)} keepMounted={false}>
        <Tabs.List mb="md">
          {TABS.map((key) => (
            <Tabs.Tab key={key} value={key}>
              {t(`trust.access.tabs.${key}`)}
            </Tabs.Tab>
          ))}
        </Tabs.List>
        <Tabs.Panel value="requests">
          <Section title={t('trust.requests.title')} description={t('trust.requests.description')}>
            <RequestsPanel />
          </Section>
        </Tabs.Panel>
        <Tabs.Panel value="grants">
          <Section title={t('trust.grants.title')} description={t('trust.grants.description')}>
            <GrantsPanel />
          </Section>
        </Tabs.Panel>
        <Tabs.Panel value="domains">
          <Section title={t('trust.domains.title')} description={t('trust.domains.description')}>
            <DomainsPanel />
          </Section>
        </Tabs.Panel>
        <Tabs.Panel value="nda">
          <Stack gap="lg">
            <NdaPanel />
            <ExemptionsPanel />
          </Stack>
        </Tabs.Panel>
        <Tabs.Panel value="subscribers">
          <Section title={t('trust.subscribers.title')} description={t('trust.subscribers.description')}>
            <SubscribersPanel />
          </Section>
        </Tabs.Panel>
      </Tabs>
    </>
  );
}
