import { Alert, Button, Code, Group, Modal, Select, Stack, Table, Text, TextInput } from '@mantine/core';
import { type ChangeEvent, type FormEvent, useCallback, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type AuditEvent, type AuditVerifyResult, api } from '../api';
import { ListTable } from '../components/ListTable';
import { PageHeader } from '../components/PageHeader';
import { RowButton } from '../components/RowButton';
import { useNotifyError } from '../lib/errors';
import { useFormat } from '../lib/format';
import { useCursorList } from '../lib/useCursorList';

const PAGE_SIZE = 50;

interface Filters {
  action: string;
  actor: string;
  from: string;
  to: string;
}

const EMPTY: Filters = { action: '', actor: '', from: '', to: '' };

/** `<input type="date">` value (local day) → ISO instant at the start or the end of that day. */
function dayBoundary(day: string, end: boolean): string | undefined {
  if (!day) return undefined;
  const [y, m, d] = day.split('-').map(Number);
  if (!y || !m || !d) return undefined;
  const date = end ? new Date(y, m - 1, d, 23, 59, 59, 999) : new Date(y, m - 1, d, 0, 0, 0, 0);
  return date.toISOString();
}

const ACTOR_TYPES = ['user', 'token', 'system', 'anonymous', 'visitor'] as const;

/** Who acted, in words: a visitor the trust center identified shows as one (by id), not as anonymous. */
function useActorText() {
  const { t } = useTranslation();
  return {
    actorName: (event: AuditEvent) =>
      event.actorLabel ??
      (event.actorType === 'visitor' && event.actorId
        ? t('audit.visitorId', { id: event.actorId.slice(0, 8) })
        : event.actorId) ??
      '—',
    actorTypeLabel: (type: string) =>
      (ACTOR_TYPES as readonly string[]).includes(type)
        ? t(`audit.actorTypes.${type as (typeof ACTOR_TYPES)[number]}`)
        : type,
  };
}

function VerifyResult({ result }: { result: AuditVerifyResult }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  if (result.ok) {
    return (
      <Alert color="green" title={t('audit.verifyOk')} role="status">
        <Text size="sm">
          {t('audit.verifyChecked', { count: result.checked, formatted: fmt.number(result.checked) })}
        </Text>
        {result.headHash ? (
          <Text size="sm">
            {t('audit.headHash')} <Code style={{ wordBreak: 'break-all' }}>{result.headHash}</Code>
          </Text>
        ) : null}
      </Alert>
    );
  }
  return (
    <Alert color="red" title={t('audit.verifyBroken')} role="alert">
      <Text size="sm">
        {result.firstBrokenSeq !== null
          ? t('audit.brokenAt', { seq: result.firstBrokenSeq })
          : t('audit.verifyChecked', { count: result.checked, formatted: fmt.number(result.checked) })}
      </Text>
      {result.reason ? <Text size="sm">{t('audit.reason', { reason: result.reason })}</Text> : null}
    </Alert>
  );
}

function EventDetails({ event, onClose }: { event: AuditEvent | null; onClose: () => void }) {
  const { t } = useTranslation();
  const { actorName, actorTypeLabel } = useActorText();
  const fmt = useFormat();
  return (
    <Modal opened={event !== null} onClose={onClose} title={t('audit.detailsTitle')} size="lg">
      {event ? (
        <Stack gap="xs">
          <Text size="sm">
            <strong>{t('audit.seq')}:</strong> {event.seq}
          </Text>
          <Text size="sm">
            <strong>{t('audit.time')}:</strong> {fmt.dateTime(event.occurredAt)}
          </Text>
          <Text size="sm">
            <strong>{t('audit.action')}:</strong> <Code>{event.action}</Code>
          </Text>
          <Text size="sm">
            <strong>{t('audit.actor')}:</strong> {actorName(event)} ({actorTypeLabel(event.actorType)})
          </Text>
          <Text size="sm">
            <strong>{t('audit.target')}:</strong>{' '}
            {event.targetType ? `${event.targetType}${event.targetId ? ` ${event.targetId}` : ''}` : '—'}
          </Text>
          <Text size="sm">
            <strong>{t('audit.ip')}:</strong> {event.ip ?? '—'}
          </Text>
          <Text size="sm" style={{ wordBreak: 'break-all' }}>
            <strong>{t('audit.userAgent')}:</strong> {event.userAgent ?? '—'}
          </Text>
          <Text size="sm" fw={700}>
            {t('audit.details')}
          </Text>
          <Code block className="details-json">
            {JSON.stringify(event.details ?? null, null, 2)}
          </Code>
        </Stack>
      ) : null}
    </Modal>
  );
}

const AREAS = ['identity', 'trust', 'disclosure', 'settings', 'system', 'audit', 'jobs', 'mail'] as const;

/**
 * The action filter's choices: the actions the log holds, grouped by area (identity, trust, …), each area
 * led by an "all of it" choice (a prefix, which the server matches as a part of the action).
 */
function useActionChoices() {
  const { t } = useTranslation();
  const notifyError = useNotifyError();
  const [actions, setActions] = useState<string[]>([]);
  useEffect(() => {
    api
      .auditActions()
      .then((answer) => setActions(answer.actions))
      .catch(notifyError);
  }, [notifyError]);
  return useMemo(() => {
    const areas = new Map<string, string[]>();
    for (const action of actions) {
      const area = action.split('.')[0] ?? action;
      areas.set(area, [...(areas.get(area) ?? []), action]);
    }
    const areaName = (area: string) =>
      (AREAS as readonly string[]).includes(area) ? t(`audit.areas.${area as (typeof AREAS)[number]}`) : area;
    return [...areas].map(([area, list]) => ({
      group: areaName(area),
      items: [
        { value: `${area}.`, label: t('audit.allOfArea', { area: areaName(area) }) },
        ...list.map((action) => ({ value: action, label: action })),
      ],
    }));
  }, [actions, t]);
}

export function AuditPage() {
  const { t } = useTranslation();
  const { actorName, actorTypeLabel } = useActorText();
  const fmt = useFormat();
  const notifyError = useNotifyError();
  const [draft, setDraft] = useState<Filters>(EMPTY);
  const [filters, setFilters] = useState<Filters>(EMPTY);
  const [verifying, setVerifying] = useState(false);
  const [verify, setVerify] = useState<AuditVerifyResult | null>(null);
  const [selected, setSelected] = useState<AuditEvent | null>(null);

  const query = useMemo(
    () => ({
      action: filters.action.trim() || undefined,
      actor: filters.actor.trim() || undefined,
      from: dayBoundary(filters.from, false),
      to: dayBoundary(filters.to, true),
    }),
    [filters],
  );
  const fetchPage = useCallback(
    (cursor: string | null) => api.auditEvents({ ...query, limit: PAGE_SIZE, cursor }),
    [query],
  );
  const list = useCursorList(fetchPage);
  const actionChoices = useActionChoices();

  const apply = (event: FormEvent) => {
    event.preventDefault();
    setFilters({ ...draft });
  };
  const clear = () => {
    setDraft(EMPTY);
    setFilters(EMPTY);
  };
  const filtered = Object.values(filters).some((v) => v !== '');

  const runVerify = async () => {
    setVerifying(true);
    setVerify(null);
    try {
      setVerify(await api.verifyAudit());
    } catch (err) {
      notifyError(err);
    } finally {
      setVerifying(false);
    }
  };

  const field = (key: keyof Filters) => ({
    value: draft[key],
    onChange: (e: ChangeEvent<HTMLInputElement>) => {
      const value = e.currentTarget.value;
      setDraft((d) => ({ ...d, [key]: value }));
    },
  });

  return (
    <>
      <EventDetails event={selected} onClose={() => setSelected(null)} />
      <PageHeader
        title={t('audit.title')}
        description={t('audit.description')}
        actions={
          <>
            <Button onClick={() => void runVerify()} loading={verifying}>
              {t('audit.verify')}
            </Button>
            <Button component="a" href={api.auditCsvUrl(query)} download variant="default">
              {t('audit.exportCsv')}
            </Button>
          </>
        }
      />
      <Stack>
        {verify ? <VerifyResult result={verify} /> : null}
        <search aria-label={t('audit.filters')}>
          <form onSubmit={apply}>
            <Group align="flex-end">
              <Select
                label={t('audit.action')}
                placeholder={t('audit.actionPlaceholder')}
                data={actionChoices}
                value={draft.action || null}
                onChange={(value) => setDraft((d) => ({ ...d, action: value ?? '' }))}
                searchable
                clearable
                nothingFoundMessage={t('audit.noAction')}
                maxDropdownHeight={320}
                comboboxProps={{ width: 'target', position: 'bottom-start' }}
                w={{ base: '100%', sm: 280 }}
              />
              <TextInput
                label={t('audit.actor')}
                placeholder={t('audit.actorPlaceholder')}
                {...field('actor')}
              />
              <TextInput label={t('audit.from')} type="date" {...field('from')} />
              <TextInput label={t('audit.to')} type="date" {...field('to')} />
              <Button type="submit" variant="light">
                {t('common.applyFilters')}
              </Button>
              {filtered ? (
                <Button variant="subtle" onClick={clear}>
                  {t('common.clearFilters')}
                </Button>
              ) : null}
            </Group>
          </form>
        </search>
        <ListTable
          list={list}
          rows={list.items}
          empty={{ title: t('audit.emptyTitle'), description: t('audit.emptyDescription') }}
          noMatch={
            filtered && {
              title: t('audit.noMatchTitle'),
              description: t('audit.noMatchDescription'),
              onClear: clear,
            }
          }
          minWidth={900}
          striped
          highlightOnHover
          headers={[
            t('audit.seq'),
            t('audit.time'),
            t('audit.actor'),
            t('audit.action'),
            t('audit.target'),
            t('audit.ip'),
          ]}
          cells={(e) => (
            <>
              <Table.Td>{e.seq}</Table.Td>
              <Table.Td>{fmt.dateTime(e.occurredAt)}</Table.Td>
              <Table.Td>
                <Text size="sm">{actorName(e)}</Text>
                <Text size="xs" c="dimmed">
                  {actorTypeLabel(e.actorType)}
                </Text>
              </Table.Td>
              <Table.Td>
                <Code>{e.action}</Code>
              </Table.Td>
              <Table.Td>
                <Text size="sm">{e.targetType ?? '—'}</Text>
                {e.targetId ? (
                  <Text size="xs" c="dimmed" ff="monospace">
                    {e.targetId}
                  </Text>
                ) : null}
              </Table.Td>
              <Table.Td>
                <Text size="sm" ff="monospace">
                  {e.ip ?? '—'}
                </Text>
              </Table.Td>
              <Table.Td>
                <RowButton onClick={() => setSelected(e)} aria-label={t('audit.viewNamed', { seq: e.seq })}>
                  {t('audit.view')}
                </RowButton>
              </Table.Td>
            </>
          )}
        />
      </Stack>
    </>
  );
}
