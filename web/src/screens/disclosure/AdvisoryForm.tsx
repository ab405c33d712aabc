import { Alert, Fieldset, Group, Textarea, TextInput } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  type Advisory,
  type AdvisoryDraft,
  type AdvisoryInput,
  type AffectedProduct,
  advisoriesApi,
  type Credit,
} from '../../api-disclosure-advisories';
import { SectionForm } from '../../components/SubmitForm';
import { FieldErrors } from '../../lib/errors';
import { useSubmit } from '../../lib/useSubmit';
import { AdvisoryCreditsField } from './AdvisoryCreditsField';
import { AdvisoryCvssField } from './AdvisoryCvssField';
import { AdvisoryProductsField } from './AdvisoryProductsField';
import { AdvisoryReportField } from './AdvisoryReportField';

const list = (text: string, separator: RegExp) =>
  text
    .split(separator)
    .map((item) => item.trim())
    .filter(Boolean);

/** `datetime-local` value (local time) ⇄ ISO instant. */
const toLocalInput = (iso: string | null) => {
  if (!iso) return '';
  const date = new Date(iso);
  return new Date(date.getTime() - date.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
};
const fromLocalInput = (value: string) => (value ? new Date(value).toISOString() : null);

/** Create, edit (or, read-only, view) an advisory. Editing a published one makes a new public revision. */
export function AdvisoryForm({
  advisory,
  draft,
  readOnly,
  onSaved,
  onCancel,
}: {
  advisory: Advisory | null;
  /** A new advisory's fields proposed from a report ("Create advisory from this report"). */
  draft?: AdvisoryDraft | null;
  readOnly: boolean;
  onSaved: (saved: Advisory) => void;
  onCancel: () => void;
}) {
  const { t } = useTranslation('vdpAdvisories');
  const from = advisory ? null : (draft ?? null);
  const [title, setTitle] = useState(advisory?.title ?? from?.title ?? '');
  const [summary, setSummary] = useState(advisory?.summary ?? from?.summary ?? '');
  const [description, setDescription] = useState(advisory?.description ?? from?.description ?? '');
  const [cveId, setCveId] = useState(advisory?.cveId ?? '');
  const [affected, setAffected] = useState<AffectedProduct[]>(advisory?.affected ?? from?.affected ?? []);
  const [cvssV3, setCvssV3] = useState(advisory?.cvssV3?.vector ?? from?.cvssV3Vector ?? '');
  const [cvssV4, setCvssV4] = useState(advisory?.cvssV4?.vector ?? from?.cvssV4Vector ?? '');
  const [cweIds, setCweIds] = useState((advisory?.cweIds ?? from?.cweIds ?? []).join(', '));
  const [credits, setCredits] = useState<Credit[]>(advisory?.credits ?? from?.credits ?? []);
  const [references, setReferences] = useState((advisory?.references ?? []).join('\n'));
  const [reportId, setReportId] = useState(advisory?.reportId ?? from?.reportId ?? '');
  const [embargoUntil, setEmbargoUntil] = useState(toLocalInput(advisory?.embargoUntil ?? null));
  const [revisionSummary, setRevisionSummary] = useState('');
  const published = advisory?.status === 'published';

  const submit = useSubmit(async () => {
    if (!title.trim()) throw new FieldErrors({ title: t('form.required') });
    const body: AdvisoryInput = {
      title: title.trim(),
      summary,
      description,
      cveId: cveId.trim() || null,
      affected: affected.map((p) => ({ ...p, ranges: p.ranges.filter((r) => r.introduced.trim()) })),
      cvssV3Vector: cvssV3.trim() || null,
      cvssV4Vector: cvssV4.trim() || null,
      cweIds: list(cweIds, /[\s,]+/).map((id) => (/^\d+$/.test(id) ? `CWE-${id}` : id.toUpperCase())),
      credits: credits.filter((c) => c.name.trim()),
      references: list(references, /\s+/),
      reportId: reportId.trim() || null,
      embargoUntil: fromLocalInput(embargoUntil),
      ...(published && revisionSummary.trim() ? { revisionSummary: revisionSummary.trim() } : {}),
    };
    onSaved(advisory ? await advisoriesApi.update(advisory.id, body) : await advisoriesApi.create(body));
  });
  const errors = submit.fieldErrors;

  const fields = (
    <>
      {from ? (
        <Alert color="blue" variant="light">
          {t('form.fromReport', { number: from.reportNumber })}
        </Alert>
      ) : null}
      <TextInput
        label={t('form.title')}
        required
        value={title}
        onChange={(e) => setTitle(e.currentTarget.value)}
        error={errors.title}
      />
      <Textarea
        label={t('form.summary')}
        description={t('form.summaryHint')}
        autosize
        minRows={2}
        value={summary}
        onChange={(e) => setSummary(e.currentTarget.value)}
        error={errors.summary}
      />
      <Textarea
        label={t('form.description')}
        description={t('form.descriptionHint')}
        autosize
        minRows={5}
        ff="monospace"
        value={description}
        onChange={(e) => setDescription(e.currentTarget.value)}
        error={errors.description}
      />
      <Group grow align="flex-start">
        <TextInput
          label={t('form.cveId')}
          placeholder="CVE-2026-12345"
          value={cveId}
          onChange={(e) => setCveId(e.currentTarget.value)}
          error={errors.cveId}
        />
        <TextInput
          label={t('form.cweIds')}
          description={t('form.cweHint')}
          placeholder="CWE-79, CWE-352"
          value={cweIds}
          onChange={(e) => setCweIds(e.currentTarget.value)}
          error={errors.cweIds ?? errors['0']}
        />
      </Group>
      <AdvisoryCvssField
        version="3.1"
        value={cvssV3}
        onChange={setCvssV3}
        error={errors.cvssV3Vector}
        readOnly={readOnly}
      />
      <AdvisoryCvssField
        version="4.0"
        value={cvssV4}
        onChange={setCvssV4}
        error={errors.cvssV4Vector}
        readOnly={readOnly}
      />
      <AdvisoryProductsField value={affected} onChange={setAffected} errors={errors} readOnly={readOnly} />
      <AdvisoryCreditsField value={credits} onChange={setCredits} readOnly={readOnly} />
      <Textarea
        label={t('form.references')}
        description={t('form.referencesHint')}
        autosize
        minRows={2}
        value={references}
        onChange={(e) => setReferences(e.currentTarget.value)}
        error={errors.references}
      />
      <Group grow align="flex-start">
        <AdvisoryReportField
          value={reportId}
          initialLabel={from ? `#${from.reportNumber} — ${from.title}` : undefined}
          onChange={setReportId}
          error={errors.reportId}
          readOnly={readOnly}
        />
        <TextInput
          type="datetime-local"
          label={t('form.embargoUntil')}
          description={t('form.embargoHint')}
          value={embargoUntil}
          onChange={(e) => setEmbargoUntil(e.currentTarget.value)}
          error={errors.embargoUntil}
        />
      </Group>
      {published && !readOnly ? (
        <TextInput
          label={t('form.revisionSummary')}
          description={t('form.revisionHint', { revision: (advisory?.revision ?? 1) + 1 })}
          value={revisionSummary}
          onChange={(e) => setRevisionSummary(e.currentTarget.value)}
          error={errors.revisionSummary}
        />
      ) : null}
    </>
  );

  if (readOnly) {
    return (
      <Fieldset variant="unstyled" disabled>
        {fields}
      </Fieldset>
    );
  }
  return (
    <SectionForm
      submit={submit}
      submitLabel={advisory ? t('form.save') : t('form.create')}
      onCancel={onCancel}
    >
      {fields}
    </SectionForm>
  );
}
