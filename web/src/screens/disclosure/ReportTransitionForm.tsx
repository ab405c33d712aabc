import { NativeSelect, NumberInput, Text, Textarea } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ReportDetail, TransitionInput } from '../../api-disclosure-triage';
import { SectionForm } from '../../components/SubmitForm';
import { FieldErrors } from '../../lib/errors';
import { useSubmit } from '../../lib/useSubmit';
import type { PendingChange } from './ReportStateActions';

const OTHER = 'other';

/**
 * The duplicate-of picker: the likely originals the server found (same asset, similar text) first, or any
 * other report by its number.
 */
function DuplicateOfPicker({
  report,
  choice,
  onChoice,
  number,
  onNumber,
  error,
}: {
  report: ReportDetail;
  choice: string;
  onChoice: (value: string) => void;
  number: string | number;
  onNumber: (value: string | number) => void;
  error?: string;
}) {
  const { t } = useTranslation('vdpTriage');
  return (
    <>
      <NativeSelect
        label={t('state.duplicateOf')}
        description={report.duplicateCandidates.length > 0 ? t('state.duplicateCandidatesHint') : undefined}
        value={choice}
        onChange={(e) => onChoice(e.currentTarget.value)}
        data={[
          ...report.duplicateCandidates.map((candidate) => ({
            value: candidate.id,
            label: t('state.candidate', {
              number: candidate.number,
              status: t(`status.${candidate.status}`),
            }),
          })),
          { value: OTHER, label: t('state.otherReport') },
        ]}
        error={choice === OTHER ? undefined : error}
      />
      {choice === OTHER ? (
        <NumberInput
          label={t('state.originalNumber')}
          min={1}
          allowDecimal={false}
          allowNegative={false}
          prefix="#"
          value={number}
          onChange={onNumber}
          error={error}
          w={200}
        />
      ) : null}
    </>
  );
}

/** The details of a state change: a message to the researcher (optional), and the original of a duplicate. */
export function ReportTransitionForm({
  report,
  change,
  submitLabel,
  onSubmit,
}: {
  report: ReportDetail;
  change: PendingChange;
  submitLabel: string;
  onSubmit: (input: TransitionInput) => Promise<void>;
}) {
  const { t } = useTranslation('vdpTriage');
  const [message, setMessage] = useState('');
  const [choice, setChoice] = useState(report.duplicateCandidates[0]?.id ?? OTHER);
  const [number, setNumber] = useState<string | number>('');
  const duplicate = change.to === 'duplicate';

  const submit = useSubmit(async () => {
    const input: TransitionInput = { to: change.to, subStatus: change.subStatus };
    if (message.trim()) input.message = message.trim();
    if (duplicate) {
      if (choice !== OTHER) input.duplicateOf = choice;
      else if (typeof number === 'number' && number > 0 && number !== report.number)
        input.duplicateOf = number;
      else throw new FieldErrors({ duplicateOf: t('state.originalRequired') });
    }
    await onSubmit(input);
  });

  return (
    <SectionForm
      submit={submit}
      submitLabel={submitLabel}
      intro={
        <Text size="sm">
          {t(`state.explain.${change.subStatus ?? (duplicate ? 'duplicate' : 'status')}`)}
        </Text>
      }
    >
      {duplicate ? (
        <DuplicateOfPicker
          report={report}
          choice={choice}
          onChoice={setChoice}
          number={number}
          onNumber={setNumber}
          error={submit.fieldErrors.duplicateOf}
        />
      ) : null}
      <Textarea
        label={t('state.message')}
        description={report.reporter?.email ? t('state.messageHint') : t('state.messageHintNoEmail')}
        autosize
        minRows={3}
        value={message}
        onChange={(e) => setMessage(e.currentTarget.value)}
        error={submit.fieldErrors.message}
        data-autofocus
      />
    </SectionForm>
  );
}
