import { Alert, Button, Stack, Tabs, Text } from '@mantine/core';
import { useCallback, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type ProgramDraft, programApi } from '../../api-disclosure-program';
import { StatusLoader } from '../../components/FullPageLoader';
import { LoadError } from '../../components/ListStatus';
import { PageHeader } from '../../components/PageHeader';
import { useConfirmedAction } from '../../components/useConfirm';
import { notifySuccess } from '../../lib/errors';
import { DISCLOSURE_MANAGE_ROLES, hasRole } from '../../lib/permissions';
import { useLoad } from '../../lib/useLoad';
import { useUser } from '../../session';
import { ProgramEditor } from './ProgramEditor';
import { ProgramKeysPanel } from './ProgramKeysPanel';
import { ProgramPreview } from './ProgramPreview';
import { ProgramVersions } from './ProgramVersions';

const TABS = ['edit', 'preview', 'keys', 'versions'] as const;
type Tab = (typeof TABS)[number];

const fetchDraft = () => programApi.draft();

/** Whether the saved draft says something the public version does not. */
function differs(draft: ProgramDraft): boolean {
  return JSON.stringify(draft.source) !== JSON.stringify(draft.publishedSource);
}

/** The public version, whether the saved draft differs from it, and Publish for those who may. */
function PublishBar({
  draft,
  dirty,
  canManage,
  onPublished,
}: {
  draft: ProgramDraft;
  dirty: boolean;
  canManage: boolean;
  onPublished: (version: number) => void;
}) {
  const { t } = useTranslation('vdpProgram');
  const [dialog, confirmThen] = useConfirmedAction();
  const publish = () =>
    confirmThen(
      {
        title: t('publish.confirmTitle'),
        message: t('publish.confirmMessage'),
        confirmLabel: t('publish.button'),
      },
      async () => {
        const result = await programApi.publish();
        onPublished(result.version);
        notifySuccess(t('publish.done', { version: result.version }));
      },
    );
  const pending = differs(draft);
  return (
    <Stack gap={4} align="flex-end">
      {dialog}
      {canManage ? (
        <Button
          onClick={() => void publish()}
          disabled={dirty}
          title={dirty ? t('publish.unsaved') : undefined}
        >
          {t('publish.button')}
        </Button>
      ) : null}
      {draft.publishedVersion === 0 ? (
        // A fresh install publishes nothing by itself (version 0 is the unpublished defaults).
        <Text size="sm" c="orange" maw={360} ta="right" aria-live="polite">
          {dirty ? t('publish.unsaved') : t('publish.none')}
        </Text>
      ) : (
        <>
          <Text size="sm">{t('publish.current', { version: draft.publishedVersion })}</Text>
          <Text size="xs" c={pending ? 'orange' : 'dimmed'} aria-live="polite">
            {dirty ? t('publish.unsaved') : pending ? t('publish.pending') : t('publish.upToDate')}
          </Text>
        </>
      )}
    </Stack>
  );
}

/** The disclosure program: edit the draft, preview its three renders, manage keys, see versions. */
export function ProgramPage() {
  const { t } = useTranslation('vdpProgram');
  const canManage = hasRole(useUser().role, DISCLOSURE_MANAGE_ROLES);
  const draft = useLoad<ProgramDraft | null>(fetchDraft, null);
  const [tab, setTab] = useState<Tab>('edit');
  const [dirty, setDirty] = useState(false);
  const [publishes, setPublishes] = useState(0);

  const onSaved = useCallback((saved: ProgramDraft) => draft.setData(saved), [draft.setData]);
  const onPublished = useCallback(
    (version: number) => {
      // The published source is now the saved draft.
      draft.setData((previous) =>
        previous ? { ...previous, publishedVersion: version, publishedSource: previous.source } : previous,
      );
      setPublishes((n) => n + 1);
    },
    [draft.setData],
  );

  return (
    <>
      <PageHeader
        title={t('title')}
        description={t('description')}
        actions={
          draft.data ? (
            <PublishBar draft={draft.data} dirty={dirty} canManage={canManage} onPublished={onPublished} />
          ) : null
        }
      />
      {canManage ? null : (
        <Alert color="gray" mb="md">
          {t('readOnly')}
        </Alert>
      )}
      {draft.loading && !draft.data ? <StatusLoader py="xl" size="sm" /> : null}
      {draft.error ? <LoadError error={draft.error} onRetry={draft.reload} /> : null}
      {draft.data ? (
        <Tabs value={tab} onChange={(v) => v && setTab(v as Tab)}>
          <Tabs.List mb="md">
            {TABS.map((key) => (
              <Tabs.Tab key={key} value={key}>
                {t(`tabs.${key}`)}
              </Tabs.Tab>
            ))}
          </Tabs.List>
          {/* The editor stays mounted while other tabs are open, so unsaved edits survive a look at the preview. */}
          <Tabs.Panel value="edit" keepMounted>
            <ProgramEditor
              draft={draft.data}
              readOnly={!canManage}
              onSaved={onSaved}
              onDirtyChange={setDirty}
            />
          </Tabs.Panel>
          <Tabs.Panel value="preview">
            {tab === 'preview' ? <ProgramPreview key={draft.data.updatedAt} /> : null}
          </Tabs.Panel>
          <Tabs.Panel value="keys">
            {tab === 'keys' ? <ProgramKeysPanel canManage={canManage} /> : null}
          </Tabs.Panel>
          <Tabs.Panel value="versions">
            {tab === 'versions' ? <ProgramVersions key={publishes} /> : null}
          </Tabs.Panel>
        </Tabs>
      ) : null}
    </>
  );
}
