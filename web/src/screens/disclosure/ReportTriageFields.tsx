import { Alert, Anchor, Divider, NativeSelect, Stack, TextInput } from '@mantine/core';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  REPORT_SEVERITIES,
  type ReportDetail,
  type ReportSeverity,
  type ReportUpdate,
  triageApi,
  type UserRef,
} from '../../api-disclosure-triage';
import { Section } from '../../components/Section';
import { SectionForm } from '../../components/SubmitForm';
import { FieldErrors, notifySuccess, useNotifyError } from '../../lib/errors';
import { useSubmit } from '../../lib/useSubmit';
import { CvssCalculator } from './CvssCalculator';

/** "79" or "cwe-79" → "CWE-79"; anything else is returned as typed, for the validation message. */
export function normalizeCwe(value: string): string {
  const match = /^(?:cwe-?)?\s*(\d{1,6})$/i.exec(value.trim());
  return match ? `CWE-${match[1]}` : value.trim();
}

function AssigneeSelect({
  report,
  team,
  onSaved,
}: {
  report: ReportDetail;
  team: UserRef[];
  onSaved: () => void;
}) {
  const { t } = useTranslation('vdpTriage');
  const notifyError = useNotifyError();
  const [saving, setSaving] = useState(false);
  const assign = async (assigneeId: string | null) => {
    setSaving(true);
    try {
      await triageApi.update(report.id, { assigneeId });
      const member = team.find((m) => m.id === assigneeId);
      notifySuccess(
        member ? t('fields.assignedTo', { name: member.name || member.email }) : t('fields.unassignedDone'),
      );
      onSaved();
    } catch (err) {
      notifyError(err);
    } finally {
      setSaving(false);
    }
  };
  return (
    <NativeSelect
      label={t('fields.assignee')}
      value={report.assignee?.id ?? ''}
      disabled={saving}
      onChange={(e) => void assign(e.currentTarget.value || null)}
      data={[
        { value: '', label: t('inbox.unassigned') },
        ...team.map((member) => ({ value: member.id, label: member.name || member.email })),
      ]}
    />
  );
}

/**
 * How the team rates and tracks the report: assignee (saved on choice), CVSS vector with its live score,
 * severity when there is no vector, CWE id and the issue tracker link (saved together).
 */
export function ReportTriageFields({
  report,
  team,
  onSaved,
}: {
  report: ReportDetail;
  team: UserRef[];
  onSaved: () => void;
}) {
  const { t } = useTranslation('vdpTriage');
  const [vector, setVector] = useState(report.cvssVector ?? '');
  const [severity, setSeverity] = useState<ReportSeverity | ''>(report.severity ?? '');
  const [cwe, setCwe] = useState(report.cweId ?? '');
  const [issueUrl, setIssueUrl] = useState(report.issueUrl ?? '');

  // A reload after saving (or after a colleague's change) brings the server's values back in.
  useEffect(() => {
    setVector(report.cvssVector ?? '');
    setSeverity(report.severity ?? '');
    setCwe(report.cweId ?? '');
    setIssueUrl(report.issueUrl ?? '');
  }, [report.cvssVector, report.severity, report.cweId, report.issueUrl]);

  const submit = useSubmit(async () => {
    const body: ReportUpdate = {};
    const cweId = cwe.trim() ? normalizeCwe(cwe) : null;
    if (cweId && !/^CWE-\d{1,6}$/.test(cweId)) throw new FieldErrors({ cweId: t('fields.cweInvalid') });
    const url = issueUrl.trim() || null;
    if (url && !/^https?:\/\/\S+$/i.test(url))
      throw new FieldErrors({ issueUrl: t('fields.issueUrlInvalid') });
    const cvssVector = vector.trim() || null;
    // Saving sends what is shown: with a reporter's proposal on the report, even an unchanged vector is
    // sent, since saving it is how the team confirms the severity.
    const confirming = report.severityProposed;
    if (cvssVector !== report.cvssVector || (confirming && cvssVector)) body.cvssVector = cvssVector;
    if (!cvssVector && ((severity || null) !== report.severity || confirming))
      body.severity = severity || null;
    if (cweId !== report.cweId) body.cweId = cweId;
    if (url !== report.issueUrl) body.issueUrl = url;
    if (Object.keys(body).length === 0) {
      notifySuccess(t('fields.nothingChanged'));
      return;
    }
    await triageApi.update(report.id, body);
    notifySuccess(t('fields.saved'));
    onSaved();
  });

  const cweNumber = /^CWE-(\d+)$/.exec(normalizeCwe(cwe))?.[1];
  return (
    <Section title={t('fields.title')}>
      <Stack gap="md">
        <AssigneeSelect report={report} team={team} onSaved={onSaved} />
        <Divider />
        <SectionForm submit={submit} submitLabel={t('fields.save')}>
          {report.severityProposed && report.severity ? (
            <Alert color="yellow" variant="light" title={t('fields.proposedTitle')}>
              {t('fields.proposed', {
                score: report.cvssScore?.toFixed(1) ?? '',
                severity: t(`severity.${report.severity}`),
              })}
            </Alert>
          ) : null}
          <CvssCalculator value={vector} onChange={setVector} error={submit.fieldErrors.cvssVector} />
          {vector.trim() ? null : (
            <NativeSelect
              label={t('fields.severity')}
              description={t('fields.severityHint')}
              value={severity}
              onChange={(e) => setSeverity(e.currentTarget.value as ReportSeverity | '')}
              data={[
                { value: '', label: t('severity.unrated') },
                ...[...REPORT_SEVERITIES]
                  .reverse()
                  .map((value) => ({ value, label: t(`severity.${value}`) })),
              ]}
            />
          )}
          <TextInput
            label={t('fields.cwe')}
            placeholder="CWE-79"
            value={cwe}
            onChange={(e) => {
              setCwe(e.currentTarget.value);
              submit.clearFieldError('cweId');
            }}
            onBlur={() => setCwe((value) => (value.trim() ? normalizeCwe(value) : ''))}
            error={submit.fieldErrors.cweId}
            description={
              cweNumber ? (
                <Anchor
                  href={`https://cwe.mitre.org/data/definitions/${cweNumber}.html`}
                  target="_blank"
                  rel="noopener noreferrer"
                  size="xs"
                >
                  {t('fields.cweLink', { id: `CWE-${cweNumber}` })}
                </Anchor>
              ) : (
                t('fields.cweHint')
              )
            }
            w={260}
          />
          <TextInput
            type="url"
            label={t('fields.issueUrl')}
            description={t('fields.issueUrlHint')}
            placeholder="https://"
            value={issueUrl}
            onChange={(e) => {
              setIssueUrl(e.currentTarget.value);
              submit.clearFieldError('issueUrl');
            }}
            error={submit.fieldErrors.issueUrl}
          />
        </SectionForm>
      </Stack>
    </Section>
  );
}
