import { NativeSelect, TextInput } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  ACCESS_LEVELS,
  type AccessLevel,
  type Localized,
  type TrustDocument,
  type TrustDocumentDetail,
  trustApi,
} from '../../api-trust';
import { SectionForm } from '../../components/SubmitForm';
import { FieldErrors } from '../../lib/errors';
import { useSubmit } from '../../lib/useSubmit';
import { LocalizedFields, orNull } from './shared';

/** Create or edit a document's metadata: slug, title and description per locale, access level, validity. */
export function DocumentForm({
  document,
  onSaved,
}: {
  document: TrustDocument | null;
  onSaved: (saved: TrustDocumentDetail) => void;
}) {
  const { t } = useTranslation();
  const [slug, setSlug] = useState(document?.slug ?? '');
  const [title, setTitle] = useState<Localized>(document?.title ?? {});
  const [description, setDescription] = useState<Localized>(document?.description ?? {});
  const [accessLevel, setAccessLevel] = useState<AccessLevel>(document?.accessLevel ?? 'request');
  const [validFrom, setValidFrom] = useState(document?.validFrom ?? '');
  const [validUntil, setValidUntil] = useState(document?.validUntil ?? '');

  const submit = useSubmit(async () => {
    const errors: Record<string, string> = {};
    if (!slug.trim()) errors.slug = t('validation.required');
    if (!Object.values(title).some((v) => v?.trim())) errors.title = t('trust.common.writeOneLanguage');
    if (Object.keys(errors).length > 0) throw new FieldErrors(errors);
    const body = {
      slug: slug.trim(),
      title,
      description,
      accessLevel,
      validFrom: orNull(validFrom),
      validUntil: orNull(validUntil),
    };
    onSaved(
      document ? await trustApi.updateDocument(document.id, body) : await trustApi.createDocument(body),
    );
  });

  return (
    <SectionForm submit={submit} submitLabel={document ? t('common.save') : t('trust.documents.create')}>
      <TextInput
        label={t('trust.common.slug')}
        description={t('trust.documents.slugHint')}
        required
        value={slug}
        onChange={(e) => setSlug(e.currentTarget.value)}
        error={submit.fieldErrors.slug}
      />
      <NativeSelect
        label={t('trust.documents.accessLevel')}
        description={t(`trust.accessLevelHint.${accessLevel}`)}
        value={accessLevel}
        onChange={(e) => setAccessLevel(e.currentTarget.value as AccessLevel)}
        data={ACCESS_LEVELS.map((l) => ({ value: l, label: t(`trust.accessLevel.${l}`) }))}
        error={submit.fieldErrors.accessLevel}
      />
      <TextInput
        type="date"
        label={t('trust.documents.validFrom')}
        value={validFrom}
        onChange={(e) => setValidFrom(e.currentTarget.value)}
        error={submit.fieldErrors.validFrom}
      />
      <TextInput
        type="date"
        label={t('trust.documents.validUntil')}
        value={validUntil}
        onChange={(e) => setValidUntil(e.currentTarget.value)}
        error={submit.fieldErrors.validUntil}
      />
      <LocalizedFields
        errors={submit.fieldErrors}
        fields={[
          { name: 'title', label: t('trust.common.titleField'), value: title, onChange: setTitle },
          {
            name: 'description',
            label: t('trust.common.description'),
            value: description,
            onChange: setDescription,
            multiline: true,
          },
        ]}
      />
    </SectionForm>
  );
}
