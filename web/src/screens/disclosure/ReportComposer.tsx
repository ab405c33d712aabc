import { Alert, Group, NativeSelect, SegmentedControl, Text, Textarea } from '@mantine/core';
import { useCallback, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type CannedResponse, type ReportDetail, triageApi } from '../../api-disclosure-triage';
import { Section } from '../../components/Section';
import { SectionForm } from '../../components/SubmitForm';
import { FieldErrors, notifySuccess } from '../../lib/errors';
import { useLoad } from '../../lib/useLoad';
import { useSubmit } from '../../lib/useSubmit';

type Mode = 'message' | 'note';

/** The canned responses written in the report's language, to start an answer from. */
function CannedPicker({
  report,
  onPick,
}: {
  report: ReportDetail;
  onPick: (response: CannedResponse) => void;
}) {
  const { t } = useTranslation('vdpTriage');
  const fetchCanned = useCallback(
    () => triageApi.cannedResponses(report.locale).then((page) => page.items),
    [report.locale],
  );
  const canned = useLoad<CannedResponse[]>(fetchCanned, []);
  if (canned.data.length === 0) return null;
  return (
    <NativeSelect
      label={t('composer.canned', { language: t(`locale.${report.locale}`) })}
      value=""
      onChange={(e) => {
        const picked = canned.data.find((response) => response.id === e.currentTarget.value);
        if (picked) onPick(picked);
      }}
      data={[
        { value: '', label: t('composer.cannedPlaceholder') },
        ...canned.data.map((response) => ({ value: response.id, label: response.title })),
      ]}
    />
  );
}

/**
 * Writing on a report, in one of two clearly different modes: a message the researcher receives (by e-mail
 * and in their portal), or an internal note only the team sees.
 */
export function ReportComposer({ report, onSent }: { report: ReportDetail; onSent: () => void }) {
  const { t } = useTranslation('vdpTriage');
  const [mode, setMode] = useState<Mode>('message');
  const [body, setBody] = useState('');
  const modeLabel = useId();
  const submit = useSubmit(async () => {
    const text = body.trim();
    if (!text) throw new FieldErrors({ body: t('composer.required') });
    if (mode === 'message') await triageApi.sendMessage(report.id, text);
    else await triageApi.addNote(report.id, text);
    setBody('');
    notifySuccess(mode === 'message' ? t('composer.sent') : t('composer.noted'));
    onSent();
  });
  const toResearcher = mode === 'message';
  const canMail = Boolean(report.reporter?.email);

  return (
    <Section title={t('composer.title')}>
      <SectionForm
        submit={submit}
        submitLabel={toResearcher ? t('composer.send') : t('composer.addNote')}
        intro={
          <Group justify="space-between" wrap="wrap">
            <Text size="sm" fw={500} id={modeLabel} className="visually-hidden">
              {t('composer.mode')}
            </Text>
            <SegmentedControl
              aria-labelledby={modeLabel}
              value={mode}
              onChange={(value) => setMode(value as Mode)}
              color={toResearcher ? 'indigo' : 'yellow'}
              data={[
                { value: 'message', label: t('composer.modeMessage') },
                { value: 'note', label: t('composer.modeNote') },
              ]}
            />
            {toResearcher ? <CannedPicker report={report} onPick={(picked) => setBody(picked.body)} /> : null}
          </Group>
        }
      >
        {toResearcher ? (
          <Alert color="indigo" variant="light" p="xs">
            <Text size="sm">
              {canMail ? t('composer.messageHint') : t('composer.messageHintNoEmail')}
              {report.firstResponseAt ? '' : ` ${t('composer.firstResponseHint')}`}
            </Text>
          </Alert>
        ) : (
          <Alert color="yellow" variant="light" p="xs">
            <Text size="sm">{t('composer.noteHint')}</Text>
          </Alert>
        )}
        <Textarea
          label={toResearcher ? t('composer.messageLabel') : t('composer.noteLabel')}
          autosize
          minRows={4}
          maxRows={16}
          value={body}
          onChange={(e) => {
            setBody(e.currentTarget.value);
            submit.clearFieldError('body');
          }}
          error={submit.fieldErrors.body}
        />
      </SectionForm>
    </Section>
  );
}
