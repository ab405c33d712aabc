import { Badge, Group, Paper, Text, Timeline } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { ReportDetail, ReportEvent, ReportMessage, UserRef } from '../../api-disclosure-triage';
import { Section } from '../../components/Section';
import { useFormat } from '../../lib/format';
import { describeEvent } from './reportEvents';

type Entry = { at: string; message: ReportMessage } | { at: string; event: ReportEvent };

/** Messages and events in one list, oldest first. A message's own event is the message itself. */
function entriesOf(report: ReportDetail): Entry[] {
  const events = report.events.filter((event) => !event.type.startsWith('message-'));
  const entries: Entry[] = [
    ...report.messages.map((message) => ({ at: message.createdAt, message })),
    ...events.map((event) => ({ at: event.occurredAt, event })),
  ];
  return entries.sort((a, b) => a.at.localeCompare(b.at));
}

const MESSAGE_COLOR: Record<ReportMessage['kind'], string> = {
  researcher: 'blue',
  team: 'indigo',
  note: 'yellow',
  system: 'gray',
};

function MessageEntry({ message, author }: { message: ReportMessage; author: string }) {
  const { t } = useTranslation('vdpTriage');
  const fmt = useFormat();
  const internal = message.kind === 'note';
  return (
    <Paper
      withBorder
      p="sm"
      radius="sm"
      bg={internal ? 'var(--mantine-color-yellow-light)' : undefined}
      aria-label={internal ? t('timeline.internalNote') : undefined}
    >
      <Group gap="xs" mb={4} wrap="wrap">
        <Text size="sm" fw={600}>
          {message.kind === 'researcher' ? t('timeline.researcher') : author}
        </Text>
        {internal ? (
          <Badge color="yellow" variant="filled" size="sm">
            {t('timeline.internal')}
          </Badge>
        ) : null}
        {message.kind === 'team' ? (
          <Badge color="indigo" variant="light" size="sm">
            {t('timeline.toResearcher')}
          </Badge>
        ) : null}
        {message.isFirstResponse ? (
          <Badge color="green" variant="light" size="sm">
            {t('timeline.firstResponse')}
          </Badge>
        ) : null}
        <Text size="xs" c="dimmed">
          {fmt.dateTime(message.createdAt)}
        </Text>
      </Group>
      <Text component="pre" className="mail-body">
        {message.body}
      </Text>
    </Paper>
  );
}

/**
 * The report's history: the conversation with the researcher, the team's internal notes (marked, in yellow:
 * the researcher never sees them) and every change of state, assignment or severity, interleaved by time.
 */
export function ReportTimeline({ report, team }: { report: ReportDetail; team: UserRef[] }) {
  const { t } = useTranslation('vdpTriage');
  const fmt = useFormat();
  const names = new Map(team.map((member) => [member.id, member.name || member.email]));
  const who = (id: string | null) =>
    id ? (names.get(id) ?? t('timeline.teamMember')) : t('timeline.system');
  const entries = entriesOf(report);
  return (
    <Section title={t('timeline.title')}>
      <Timeline bulletSize={14} lineWidth={2}>
        {entries.map((entry) =>
          'message' in entry ? (
            <Timeline.Item key={entry.message.id} color={MESSAGE_COLOR[entry.message.kind]}>
              <MessageEntry
                message={entry.message}
                author={
                  entry.message.kind === 'system' ? t('timeline.system') : who(entry.message.authorUserId)
                }
              />
            </Timeline.Item>
          ) : (
            <Timeline.Item key={entry.event.id} color="gray">
              <Text size="sm">{describeEvent(entry.event, t, who(entry.event.actorUserId))}</Text>
              <Text size="xs" c="dimmed">
                {fmt.dateTime(entry.event.occurredAt)}
              </Text>
            </Timeline.Item>
          ),
        )}
      </Timeline>
    </Section>
  );
}
