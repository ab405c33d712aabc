import { Checkbox, NativeSelect } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import {
  type InboxFilters,
  REPORT_SEVERITIES,
  REPORT_STATUSES,
  REPORT_SUB_STATUSES,
  type ReportSeverity,
  type ReportStatus,
  type ReportSubStatus,
  type UserRef,
} from '../../api-disclosure-triage';
import { SearchBar } from '../../components/SearchBar';

/**
 * The inbox's filters live in the address (?state=open&severity=high…), so "back" from a report returns to
 * the same view and a filtered inbox can be bookmarked or shared with the team.
 */
export interface InboxView {
  state: 'open' | 'closed' | 'all';
  status: ReportStatus | '';
  subStatus: ReportSubStatus | '';
  severity: ReportSeverity | 'unrated' | '';
  assignee: string;
  overdue: boolean;
  scope: 'in' | 'out' | '';
  search: string;
}

const pick = <T extends string>(value: string | null, allowed: readonly T[], fallback: T | ''): T | '' =>
  value !== null && (allowed as readonly string[]).includes(value) ? (value as T) : fallback;

export function viewFromParams(params: URLSearchParams): InboxView {
  return {
    state: (pick(params.get('state'), ['open', 'closed', 'all'] as const, 'open') ||
      'open') as InboxView['state'],
    status: pick(params.get('status'), REPORT_STATUSES, ''),
    subStatus: pick(params.get('subStatus'), REPORT_SUB_STATUSES, ''),
    severity: pick(params.get('severity'), [...REPORT_SEVERITIES, 'unrated'] as const, ''),
    assignee: params.get('assignee') ?? '',
    overdue: params.get('overdue') === 'true',
    scope: pick(params.get('scope'), ['in', 'out'] as const, ''),
    search: params.get('search') ?? '',
  };
}

export function paramsFromView(view: InboxView): Record<string, string> {
  const params: Record<string, string> = {};
  if (view.state !== 'open') params.state = view.state;
  if (view.status) params.status = view.status;
  if (view.subStatus) params.subStatus = view.subStatus;
  if (view.severity) params.severity = view.severity;
  if (view.assignee) params.assignee = view.assignee;
  if (view.overdue) params.overdue = 'true';
  if (view.scope) params.scope = view.scope;
  if (view.search) params.search = view.search;
  return params;
}

/** The API query of a view; a chosen status makes the open/closed choice moot. */
export function filtersOf(view: InboxView, search: string): InboxFilters {
  return {
    state: view.status || view.state === 'all' ? undefined : view.state,
    status: view.status || undefined,
    subStatus: view.subStatus || undefined,
    severity: view.severity || undefined,
    assignee: view.assignee || undefined,
    overdue: view.overdue || undefined,
    outOfScope: view.scope === '' ? undefined : view.scope === 'out',
    search: search.trim() || undefined,
  };
}

export const DEFAULT_VIEW: InboxView = viewFromParams(new URLSearchParams());

export function isFiltered(view: InboxView): boolean {
  return JSON.stringify(paramsFromView(view)) !== '{}';
}

/** The search box and the filters of the inbox, in one search landmark. */
export function InboxFilterBar({
  view,
  onChange,
  team,
}: {
  view: InboxView;
  onChange: (next: Partial<InboxView>) => void;
  team: UserRef[];
}) {
  const { t } = useTranslation('vdpTriage');
  return (
    <SearchBar
      region={t('inbox.filtersRegion')}
      label={t('inbox.search')}
      placeholder={t('inbox.searchPlaceholder')}
      value={view.search}
      onChange={(search) => onChange({ search })}
      width={240}
    >
      <NativeSelect
        label={t('inbox.show')}
        value={view.state}
        disabled={view.status !== ''}
        onChange={(e) => onChange({ state: e.currentTarget.value as InboxView['state'] })}
        data={(['open', 'closed', 'all'] as const).map((value) => ({
          value,
          label: t(`inbox.state.${value}`),
        }))}
      />
      <NativeSelect
        label={t('inbox.status')}
        value={view.status}
        onChange={(e) => onChange({ status: e.currentTarget.value as ReportStatus | '' })}
        data={[
          { value: '', label: t('inbox.anyStatus') },
          ...REPORT_STATUSES.map((value) => ({ value, label: t(`status.${value}`) })),
        ]}
      />
      <NativeSelect
        label={t('inbox.waiting')}
        value={view.subStatus}
        onChange={(e) => onChange({ subStatus: e.currentTarget.value as ReportSubStatus | '' })}
        data={[
          { value: '', label: t('inbox.anySubStatus') },
          ...REPORT_SUB_STATUSES.map((value) => ({ value, label: t(`subStatus.${value}`) })),
        ]}
      />
      <NativeSelect
        label={t('inbox.severity')}
        value={view.severity}
        onChange={(e) => onChange({ severity: e.currentTarget.value as InboxView['severity'] })}
        data={[
          { value: '', label: t('inbox.anySeverity') },
          ...[...REPORT_SEVERITIES].reverse().map((value) => ({ value, label: t(`severity.${value}`) })),
          { value: 'unrated', label: t('severity.unrated') },
        ]}
      />
      <NativeSelect
        label={t('inbox.assignee')}
        value={view.assignee}
        onChange={(e) => onChange({ assignee: e.currentTarget.value })}
        data={[
          { value: '', label: t('inbox.anyone') },
          { value: 'me', label: t('inbox.me') },
          { value: 'none', label: t('inbox.unassigned') },
          ...team.map((member) => ({ value: member.id, label: member.name || member.email })),
        ]}
      />
      <NativeSelect
        label={t('inbox.scope')}
        value={view.scope}
        onChange={(e) => onChange({ scope: e.currentTarget.value as InboxView['scope'] })}
        data={[
          { value: '', label: t('inbox.anyScope') },
          { value: 'in', label: t('inbox.inScope') },
          { value: 'out', label: t('inbox.outOfScope') },
        ]}
      />
      <Checkbox
        label={t('inbox.overdueOnly')}
        checked={view.overdue}
        onChange={(e) => onChange({ overdue: e.currentTarget.checked })}
        mb={8}
      />
    </SearchBar>
  );
}
