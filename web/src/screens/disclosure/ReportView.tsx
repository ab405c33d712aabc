import { Anchor, Badge, Button, Grid, Group, Stack, Text } from '@mantine/core';
import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router-dom';
import { ProblemError } from '../../api';
import { type ReportDetail, triageApi } from '../../api-disclosure-triage';
import { StatusLoader } from '../../components/FullPageLoader';
import { LoadError } from '../../components/ListStatus';
import { PageHeader } from '../../components/PageHeader';
import { useFormat } from '../../lib/format';
import { DISCLOSURE_MANAGE_ROLES, hasRole } from '../../lib/permissions';
import { useLoad } from '../../lib/useLoad';
import { useUser } from '../../session';
import { ReportAttachments } from './ReportAttachments';
import { ReportFixDue, ReportSeverityBadge, ReportSlaCountdown, ReportStatusBadge } from './ReportBadges';
import { ReportComposer } from './ReportComposer';
import { ReportContent } from './ReportContent';
import { ReportFirstResponse } from './ReportFirstResponse';
import { ReportReporter } from './ReportReporter';
import { ReportStateActions } from './ReportStateActions';
import { ReportTimeline } from './ReportTimeline';
import { ReportTriageFields } from './ReportTriageFields';
import { useNow } from './reportSla';
import { useTriageTeam } from './reportTeam';

function BackToInbox() {
  const { t } = useTranslation('vdpTriage');
  return (
    <Anchor component={Link} to="/disclosure/reports" size="sm">
      ← {t('report.backToInbox')}
    </Anchor>
  );
}

/** The facts under the title: status, severity, SLA clock, where and when it came in. */
function ReportFacts({ report }: { report: ReportDetail }) {
  const { t } = useTranslation('vdpTriage');
  const { i18n } = useTranslation();
  const fmt = useFormat();
  const now = useNow();
  // The report's language, named in the reader's (the researcher expects answers in it).
  const language =
    new Intl.DisplayNames([i18n.language], { type: 'language' }).of(report.locale) ?? report.locale;
  const readerLocale =
    (['en', 'es', 'fr'] as const).find((locale) => i18n.language.startsWith(locale)) ?? 'en';
  const categoryName = report.categoryLabels?.[readerLocale] ?? report.category;
  return (
    <Group gap="md" wrap="wrap" aria-label={t('report.facts')} role="group">
      <ReportStatusBadge status={report.status} subStatus={report.subStatus} />
      {report.replyAfterCloseAt ? (
        <Badge color="orange" variant="filled">
          {t('report.replyAfterClose')}
        </Badge>
      ) : null}
      <ReportSeverityBadge severity={report.severity} />
      <ReportSlaCountdown report={report} now={now} />
      <ReportFixDue sla={report.sla} />
      <Text size="sm" c="dimmed">
        {t('report.receivedVia', {
          date: fmt.dateTime(report.receivedAt),
          channel: t(`channel.${report.channel}` as 'channel.web', { defaultValue: report.channel }),
        })}
      </Text>
      {report.senderVerified === false ? (
        <Group gap={6} wrap="nowrap">
          <Badge color="orange" variant="light">
            {t('report.senderUnverified')}
          </Badge>
          <Text size="xs" c="dimmed" maw={420}>
            {t('report.senderUnverifiedHelp')}
          </Text>
        </Group>
      ) : null}
      {report.asset ? <Badge variant="outline">{report.asset}</Badge> : null}
      {report.category ? <Text size="sm">{t('report.category', { category: categoryName })}</Text> : null}
      <Text size="sm">{t('report.language', { language })}</Text>
      {report.beforePolicy ? (
        <Group gap={6} wrap="nowrap">
          <Badge color="yellow" variant="light" style={{ flexShrink: 0 }}>
            {t('inbox.beforePolicyBadge')}
          </Badge>
          <Text size="xs" c="dimmed" maw={420}>
            {t('inbox.beforePolicyHelp')}
          </Text>
        </Group>
      ) : null}
      {report.outOfScope ? (
        <Badge color="gray" variant="outline">
          {t('inbox.outOfScopeBadge')}
        </Badge>
      ) : null}
      {report.issueUrl ? (
        <Anchor href={report.issueUrl} target="_blank" rel="noopener noreferrer" size="sm">
          {t('report.issueLink')}
        </Anchor>
      ) : null}
    </Group>
  );
}

/**
 * One report: what was reported and by whom, the conversation and the timeline, and everything the team
 * does with it (first response, state, severity, assignment, notes). Every change reloads the report, so
 * what is shown is always what the server holds (and the actions it still allows).
 */
export function ReportView() {
  const { t } = useTranslation('vdpTriage');
  const { id = '' } = useParams();
  const fetchReport = useCallback(() => triageApi.report(id), [id]);
  const loaded = useLoad<ReportDetail | null>(fetchReport, null);
  const report = loaded.data;
  const team = useTriageTeam([report?.assignee]);
  const canManage = hasRole(useUser().role, DISCLOSURE_MANAGE_ROLES);

  if (!report) {
    if (loaded.loading) return <StatusLoader py="xl" />;
    const missing = loaded.error instanceof ProblemError && [400, 404].includes(loaded.error.status);
    return (
      <Stack>
        <BackToInbox />
        <PageHeader title={missing ? t('report.notFound') : t('title')} />
        {missing ? null : <LoadError error={loaded.error} onRetry={loaded.reload} />}
      </Stack>
    );
  }

  const changed = loaded.reload;
  return (
    <Stack gap="md">
      <BackToInbox />
      <PageHeader
        title={t('report.heading', { number: report.number, title: report.title })}
        actions={
          canManage ? (
            <Button
              variant="default"
              component={Link}
              to={`/disclosure/advisories?fromReport=${encodeURIComponent(report.id)}`}
            >
              {t('report.createAdvisory')}
            </Button>
          ) : null
        }
      />
      <ReportFacts report={report} />
      {loaded.error ? <LoadError error={loaded.error} onRetry={loaded.reload} /> : null}
      <Grid gap="lg">
        <Grid.Col span={{ base: 12, lg: 7 }}>
          <Stack gap="lg">
            <ReportContent report={report} />
            <ReportAttachments report={report} />
            <ReportTimeline report={report} team={team} />
            <ReportComposer report={report} onSent={changed} />
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, lg: 5 }}>
          <Stack gap="lg">
            <ReportFirstResponse report={report} onDone={changed} />
            <ReportStateActions report={report} onChanged={changed} />
            <ReportTriageFields report={report} team={team} onSaved={changed} />
            <ReportReporter report={report} onErased={changed} />
          </Stack>
        </Grid.Col>
      </Grid>
    </Stack>
  );
}
