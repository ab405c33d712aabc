import { Alert, NativeSelect, Text, Textarea, TextInput } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type ReportDetail, type ReportStatus, triageApi } from '../../api-disclosure-triage';
import { Section } from '../../components/Section';
import { SectionForm } from '../../components/SubmitForm';
import { FieldErrors, notifySuccess } from '../../lib/errors';
import { useFormat } from '../../lib/format';
import { useSubmit } from '../../lib/useSubmit';

/** Today as YYYY-MM-DD in the browser's time zone (the earliest sensible resolution date). */
function today(): string {
  const now = new Date();
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

/** The statuses a first response may move the report to along the way (from new: triaged by default). */
const FIRST_RESPONSE_STATUSES: readonly ReportStatus[] = ['triaged', 'accepted'];

/**
 * The first response: the promise of the program is an answer within the SLA that carries an assessment and
 * an expected resolution date, so the form asks for both and the server refuses one without them. Once sent
 * it is shown, not offered again.
 */
export function ReportFirstResponse({ report, onDone }: { report: ReportDetail; onDone: () => void }) {
  const { t } = useTranslation('vdpTriage');
  const fmt = useFormat();
  const [assessment, setAssessment] = useState('');
  const [resolutionOn, setResolutionOn] = useState('');
  const statuses = FIRST_RESPONSE_STATUSES.filter(
    (status) => status === report.status || report.allowedTransitions.includes(status),
  );
  const [status, setStatus] = useState<ReportStatus | ''>('');
  const done = report.firstResponseAt !== null;

  const submit = useSubmit(async () => {
    const fields: Record<string, string> = {};
    if (!assessment.trim()) fields.assessment = t('firstResponse.assessmentRequired');
    if (!resolutionOn) fields.expectedResolutionOn = t('firstResponse.dateRequired');
    if (Object.keys(fields).length > 0) throw new FieldErrors(fields);
    await triageApi.firstResponse(report.id, {
      assessment: assessment.trim(),
      expectedResolutionOn: resolutionOn,
      ...(status ? { status } : {}),
    });
    notifySuccess(t('firstResponse.sent'));
    onDone();
  });

  if (done) {
    return (
      <Section title={t('firstResponse.title')}>
        <Alert color="green" variant="light" role="status">
          <Text size="sm">{t('firstResponse.doneOn', { date: fmt.dateTime(report.firstResponseAt) })}</Text>
          {report.expectedResolutionOn ? (
            <Text size="sm">
              {t('firstResponse.expectedOn', { date: fmt.date(report.expectedResolutionOn) })}
            </Text>
          ) : null}
        </Alert>
      </Section>
    );
  }

  return (
    <Section title={t('firstResponse.title')} description={t('firstResponse.description')}>
      <SectionForm submit={submit} submitLabel={t('firstResponse.send')}>
        <Textarea
          label={t('firstResponse.assessment')}
          description={t('firstResponse.assessmentHint')}
          required
          autosize
          minRows={4}
          value={assessment}
          onChange={(e) => {
            setAssessment(e.currentTarget.value);
            submit.clearFieldError('assessment');
          }}
          error={submit.fieldErrors.assessment}
        />
        <TextInput
          type="date"
          label={t('firstResponse.expectedResolutionOn')}
          required
          min={today()}
          value={resolutionOn}
          onChange={(e) => {
            setResolutionOn(e.currentTarget.value);
            submit.clearFieldError('expectedResolutionOn');
          }}
          error={submit.fieldErrors.expectedResolutionOn}
          w={220}
        />
        {statuses.length > 0 ? (
          <NativeSelect
            label={t('firstResponse.status')}
            value={status}
            onChange={(e) => setStatus(e.currentTarget.value as ReportStatus | '')}
            data={[
              {
                value: '',
                label:
                  report.status === 'new'
                    ? t('firstResponse.statusDefaultNew')
                    : t('firstResponse.statusUnchanged', { status: t(`status.${report.status}`) }),
              },
              ...statuses
                .filter((s) => s !== report.status)
                .map((value) => ({ value, label: t(`status.${value}`) })),
            ]}
          />
        ) : null}
      </SectionForm>
    </Section>
  );
}
