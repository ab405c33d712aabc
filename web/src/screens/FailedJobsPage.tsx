import { Badge, Button, Code, Group, Stack, Table, Text } from '@mantine/core';
import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import { api, type FailedJob } from '../api';
import { ListTable } from '../components/ListTable';
import { PageHeader } from '../components/PageHeader';
import { RowButton } from '../components/RowButton';
import { useConfirmedAction } from '../components/useConfirm';
import { notifySuccess } from '../lib/errors';
import { useFormat } from '../lib/format';
import { useCursorList } from '../lib/useCursorList';

const PAGE_SIZE = 25;

/** Background jobs that failed: what went wrong, how often it was tried; run again or discard (audited). */
export function FailedJobsPage() {
  const { t } = useTranslation();
  const fmt = useFormat();
  const [dialog, confirmThen] = useConfirmedAction();
  const fetchPage = useCallback((cursor: string | null) => api.failedJobs({ limit: PAGE_SIZE, cursor }), []);
  const list = useCursorList(fetchPage);

  const retry = (job: FailedJob) =>
    confirmThen(
      {
        title: t('failedJobs.retryTitle'),
        message: t('failedJobs.retryConfirm', { queue: job.queue }),
        confirmLabel: t('failedJobs.retry'),
      },
      async () => {
        await api.retryFailedJob(job.id);
        list.update(job.id, () => null);
        notifySuccess(t('failedJobs.retried', { queue: job.queue }));
      },
    );

  const discard = (job: FailedJob) =>
    confirmThen(
      {
        title: t('failedJobs.discardTitle'),
        message: t('failedJobs.discardConfirm', { queue: job.queue }),
        confirmLabel: t('failedJobs.discard'),
        danger: true,
      },
      async () => {
        await api.discardFailedJob(job.id);
        list.update(job.id, () => null);
        notifySuccess(t('failedJobs.discarded', { queue: job.queue }));
      },
    );

  return (
    <>
      {dialog}
      <PageHeader
        title={t('failedJobs.title')}
        description={t('failedJobs.description')}
        actions={
          <Button variant="default" onClick={list.reload}>
            {t('common.refresh')}
          </Button>
        }
      />
      <Stack>
        <ListTable
          list={list}
          rows={list.items}
          empty={{ title: t('failedJobs.emptyTitle'), description: t('failedJobs.emptyDescription') }}
          noMatch={false}
          minWidth={760}
          striped
          headers={[
            t('failedJobs.failedAt'),
            t('failedJobs.queue'),
            t('failedJobs.state'),
            t('failedJobs.attempts'),
            t('failedJobs.error'),
          ]}
          cells={(job) => (
            <>
              <Table.Td>{fmt.dateTime(job.failedAt ?? job.createdAt)}</Table.Td>
              <Table.Td>
                <Code>{job.queue}</Code>
              </Table.Td>
              <Table.Td>
                <Badge color={job.state === 'dead' ? 'red' : 'yellow'} variant="light">
                  {t(`failedJobs.states.${job.state}`)}
                </Badge>
                {job.nextAttemptAt ? (
                  <Text size="xs" c="dimmed">
                    {t('failedJobs.nextAttempt', { when: fmt.dateTime(job.nextAttemptAt) })}
                  </Text>
                ) : null}
              </Table.Td>
              <Table.Td>
                {t('failedJobs.attemptsOf', { attempts: job.attempts, max: job.maxAttempts })}
              </Table.Td>
              <Table.Td>
                <Text size="sm" style={{ wordBreak: 'break-word' }}>
                  {job.error.code ? `${job.error.code}: ` : ''}
                  {job.error.message}
                </Text>
              </Table.Td>
              <Table.Td>
                <Group gap="xs" wrap="nowrap">
                  <RowButton
                    onClick={() => void retry(job)}
                    aria-label={t('failedJobs.retryNamed', { queue: job.queue })}
                  >
                    {t('failedJobs.retry')}
                  </RowButton>
                  <RowButton
                    danger
                    onClick={() => void discard(job)}
                    aria-label={t('failedJobs.discardNamed', { queue: job.queue })}
                  >
                    {t('failedJobs.discard')}
                  </RowButton>
                </Group>
              </Table.Td>
            </>
          )}
        />
      </Stack>
    </>
  );
}
