import { Alert, Button, Modal, Stack, Table, Text } from '@mantine/core';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, type OutboxMessage, type Settings } from '../api';
import { ListTable } from '../components/ListTable';
import { PageHeader } from '../components/PageHeader';
import { RowButton } from '../components/RowButton';
import { SearchBar } from '../components/SearchBar';
import { useFormat } from '../lib/format';
import { matches, needleOf } from '../lib/search';
import { useCursorList } from '../lib/useCursorList';
import { useLoad } from '../lib/useLoad';

const PAGE_SIZE = 25;
/** Mail is written to the outbox by a background job, a moment after the action that queued it. */
const REFRESH_MS = 5_000;

/**
 * Looks for new messages every few seconds while the page is visible, and at once when the tab comes
 * back into view: an action elsewhere (an invitation, a reply) shows up here without a reload.
 */
function useRefreshWhileVisible(refresh: () => void) {
  useEffect(() => {
    const visible = () => document.visibilityState === 'visible';
    const timer = window.setInterval(() => {
      if (visible()) refresh();
    }, REFRESH_MS);
    const onShow = () => {
      if (visible()) refresh();
    };
    document.addEventListener('visibilitychange', onShow);
    window.addEventListener('focus', onShow);
    return () => {
      window.clearInterval(timer);
      document.removeEventListener('visibilitychange', onShow);
      window.removeEventListener('focus', onShow);
    };
  }, [refresh]);
}

function MessageModal({ message, onClose }: { message: OutboxMessage | null; onClose: () => void }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  return (
    <Modal opened={message !== null} onClose={onClose} title={message?.subject ?? ''} size="xl">
      {message ? (
        <Stack gap="xs">
          <Text size="sm">
            <strong>{t('outbox.to')}:</strong> {message.to}
          </Text>
          <Text size="sm">
            <strong>{t('outbox.date')}:</strong> {fmt.dateTime(message.createdAt)}
          </Text>
          <pre className="mail-body" data-testid="outbox-message-text">
            {message.text}
          </pre>
        </Stack>
      ) : null}
    </Modal>
  );
}

export function OutboxPage() {
  const { t } = useTranslation();
  const fmt = useFormat();
  const [search, setSearch] = useState('');
  const [selected, setSelected] = useState<OutboxMessage | null>(null);
  // Only to say that mail goes out by SMTP; the page works without it.
  const settings = useLoad<Settings | null>(api.settings, null);

  const fetchPage = useCallback((cursor: string | null) => api.outbox({ limit: PAGE_SIZE, cursor }), []);
  const list = useCursorList(fetchPage);
  useRefreshWhileVisible(list.refreshNewest);
  const needle = needleOf(search);
  const visible = list.items.filter((m) => matches(needle, m.to, m.subject));

  return (
    <>
      <MessageModal message={selected} onClose={() => setSelected(null)} />
      <PageHeader
        title={t('outbox.title')}
        description={t('outbox.description')}
        actions={
          <Button variant="default" onClick={list.reload}>
            {t('common.refresh')}
          </Button>
        }
      />
      <Stack>
        {settings.data?.mailMode === 'smtp' ? <Alert color="blue">{t('outbox.smtpActive')}</Alert> : null}
        <SearchBar
          region={t('outbox.searchRegion')}
          label={t('outbox.search')}
          placeholder={t('outbox.searchPlaceholder')}
          value={search}
          onChange={setSearch}
          width={320}
        />
        <ListTable
          list={list}
          rows={visible}
          empty={{ title: t('outbox.emptyTitle'), description: t('outbox.emptyDescription') }}
          noMatch={
            needle !== '' && { title: t('outbox.noMatchTitle'), description: t('outbox.noMatchDescription') }
          }
          minWidth={640}
          striped
          highlightOnHover
          headers={[t('outbox.date'), t('outbox.to'), t('outbox.subject')]}
          cells={(m) => (
            <>
              <Table.Td>{fmt.dateTime(m.createdAt)}</Table.Td>
              <Table.Td>{m.to}</Table.Td>
              <Table.Td>{m.subject}</Table.Td>
              <Table.Td>
                <RowButton
                  onClick={() => setSelected(m)}
                  aria-label={t('outbox.viewNamed', { subject: m.subject })}
                >
                  {t('outbox.view')}
                </RowButton>
              </Table.Td>
            </>
          )}
        />
      </Stack>
    </>
  );
}
