import { SimpleGrid, Text, Textarea } from '@mantine/core';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type DomainLists, trustApi } from '../../api-trust';
import { StatusLoader } from '../../components/FullPageLoader';
import { LoadError } from '../../components/ListStatus';
import { SectionForm } from '../../components/SubmitForm';
import { notifySuccess } from '../../lib/errors';
import { useLoad } from '../../lib/useLoad';
import { useSubmit } from '../../lib/useSubmit';
import { useCanManageAccess } from './shared';

const fetchLists = () => trustApi.domainLists();
const toText = (domains: string[]) => domains.join('\n');
const toList = (text: string) =>
  text
    .split(/[\s,;]+/)
    .map((d) => d.trim())
    .filter(Boolean);

/** Allow / deny lists of e-mail domains: requests from them are approved or denied at once. */
export function DomainsPanel() {
  const { t } = useTranslation();
  const canManage = useCanManageAccess();
  const lists = useLoad<DomainLists | null>(fetchLists, null);
  const [allow, setAllow] = useState('');
  const [deny, setDeny] = useState('');
  useEffect(() => {
    if (!lists.data) return;
    setAllow(toText(lists.data.allowDomains));
    setDeny(toText(lists.data.denyDomains));
  }, [lists.data]);

  const submit = useSubmit(async () => {
    const saved = await trustApi.updateDomainLists({
      allowDomains: toList(allow),
      denyDomains: toList(deny),
    });
    lists.setData(saved);
    notifySuccess(t('trust.domains.saved'));
  });

  if (lists.loading && !lists.data) return <StatusLoader py="xl" size="sm" />;
  if (lists.error && !lists.data) return <LoadError error={lists.error} onRetry={lists.reload} />;
  const grid = (
    <SimpleGrid cols={{ base: 1, md: 2 }}>
      <Textarea
        label={t('trust.domains.allow')}
        description={t('trust.domains.allowHint')}
        autosize
        minRows={6}
        value={allow}
        onChange={(e) => setAllow(e.currentTarget.value)}
        readOnly={!canManage}
        placeholder="example.com"
      />
      <Textarea
        label={t('trust.domains.deny')}
        description={t('trust.domains.denyHint')}
        autosize
        minRows={6}
        value={deny}
        onChange={(e) => setDeny(e.currentTarget.value)}
        readOnly={!canManage}
        placeholder="example.org"
      />
    </SimpleGrid>
  );
  if (!canManage) return grid;
  // Field errors point at /body/allowDomains/3 (an index), so the form-level message carries them.
  return (
    <SectionForm
      submit={submit}
      submitLabel={t('trust.domains.save')}
      intro={<Text size="sm">{t('trust.domains.intro')}</Text>}
    >
      {grid}
    </SectionForm>
  );
}
