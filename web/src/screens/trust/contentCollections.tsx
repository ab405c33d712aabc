import { Anchor, Badge, Table, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import {
  CERTIFICATION_STATUSES,
  type Certification,
  type Faq,
  SECTION_KINDS,
  SECTION_STATUSES,
  type Subprocessor,
  type TrustSection,
  trustApi,
  type UpdateNote,
} from '../../api-trust';
import { useFormat } from '../../lib/format';
import { CollectionEditor } from './CollectionEditor';
import { LocaleBadges, useLocalized } from './shared';
import { useDocumentChoices } from './useDocumentChoices';

const STATUS_COLOR: Record<string, string> = {
  compliant: 'green',
  implemented: 'green',
  in_progress: 'yellow',
  planned: 'gray',
};

export function CertificationsEditor() {
  const { t } = useTranslation();
  const fmt = useFormat();
  const statuses = CERTIFICATION_STATUSES.map((s) => ({ value: s, label: t(`trust.certStatus.${s}`) }));
  const documents = useDocumentChoices();
  return (
    <CollectionEditor<Certification>
      config={{
        api: trustApi.certifications,
        title: t('trust.certifications.title'),
        description: t('trust.certifications.description'),
        addLabel: t('trust.certifications.add'),
        emptyTitle: t('trust.certifications.emptyTitle'),
        emptyDescription: t('trust.certifications.emptyDescription'),
        nameOf: (c) => c.name,
        searchText: (c) => [c.name, c.auditor ?? ''],
        ordered: true,
        defaults: { status: 'compliant' },
        fields: [
          { name: 'name', label: t('trust.certifications.name'), kind: 'text', required: true },
          { name: 'status', label: t('common.status'), kind: 'select', options: statuses },
          { name: 'auditor', label: t('trust.certifications.auditor'), kind: 'text', nullable: true },
          { name: 'obtainedOn', label: t('trust.certifications.obtainedOn'), kind: 'date', nullable: true },
          { name: 'validUntil', label: t('trust.certifications.validUntil'), kind: 'date', nullable: true },
          {
            name: 'documentId',
            label: t('trust.certifications.certificate'),
            description: t('trust.certifications.certificateHint'),
            kind: 'select',
            nullable: true,
            options: documents.options,
          },
          { name: 'description', label: t('trust.common.description'), kind: 'localizedText' },
        ],
        headers: [
          t('trust.certifications.name'),
          t('common.status'),
          t('trust.certifications.obtainedOn'),
          t('trust.certifications.validUntil'),
        ],
        cells: (c) => (
          <>
            <Table.Td>
              <Text size="sm" fw={500}>
                {c.name}
              </Text>
              {c.auditor ? (
                <Text size="xs" c="dimmed">
                  {c.auditor}
                </Text>
              ) : null}
            </Table.Td>
            <Table.Td>
              <Badge variant="light" color={STATUS_COLOR[c.status]}>
                {t(`trust.certStatus.${c.status}`)}
              </Badge>
            </Table.Td>
            <Table.Td>{fmt.date(c.obtainedOn)}</Table.Td>
            <Table.Td>{fmt.date(c.validUntil)}</Table.Td>
          </>
        ),
      }}
    />
  );
}

export function SectionsEditor() {
  const { t } = useTranslation();
  const fmt = useFormat();
  const text = useLocalized();
  return (
    <CollectionEditor<TrustSection>
      config={{
        api: trustApi.sections,
        title: t('trust.sections.title'),
        description: t('trust.sections.description'),
        addLabel: t('trust.sections.add'),
        emptyTitle: t('trust.sections.emptyTitle'),
        emptyDescription: t('trust.sections.emptyDescription'),
        nameOf: (s) => text(s.title),
        searchText: (s) => [...Object.values(s.title), s.familyKey ?? ''],
        ordered: true,
        defaults: { kind: 'narrative' },
        fields: [
          {
            name: 'kind',
            label: t('trust.sections.kind'),
            kind: 'select',
            options: SECTION_KINDS.map((k) => ({ value: k, label: t(`trust.sectionKind.${k}`) })),
          },
          {
            name: 'familyKey',
            label: t('trust.sections.familyKey'),
            description: t('trust.sections.familyKeyHint'),
            kind: 'text',
            nullable: true,
          },
          {
            name: 'status',
            label: t('common.status'),
            kind: 'select',
            nullable: true,
            options: SECTION_STATUSES.map((s) => ({ value: s, label: t(`trust.sectionStatus.${s}`) })),
          },
          { name: 'lastVerifiedOn', label: t('trust.sections.lastVerified'), kind: 'date', nullable: true },
          { name: 'title', label: t('trust.common.titleField'), kind: 'localized', required: true },
          { name: 'body', label: t('trust.common.body'), kind: 'localizedText' },
        ],
        headers: [
          t('trust.common.titleField'),
          t('trust.sections.kind'),
          t('common.status'),
          t('trust.sections.lastVerified'),
          t('trust.common.languages'),
        ],
        minWidth: 860,
        cells: (s) => (
          <>
            <Table.Td>
              <Text size="sm" fw={500}>
                {text(s.title)}
              </Text>
            </Table.Td>
            <Table.Td>{t(`trust.sectionKind.${s.kind}`)}</Table.Td>
            <Table.Td>
              {s.status ? (
                <Badge variant="light" color={STATUS_COLOR[s.status]}>
                  {t(`trust.sectionStatus.${s.status}`)}
                </Badge>
              ) : (
                '—'
              )}
            </Table.Td>
            <Table.Td>{fmt.date(s.lastVerifiedOn)}</Table.Td>
            <Table.Td>
              <LocaleBadges value={s.title} />
            </Table.Td>
          </>
        ),
      }}
    />
  );
}

export function FaqEditor() {
  const { t } = useTranslation();
  const text = useLocalized();
  return (
    <CollectionEditor<Faq>
      config={{
        api: trustApi.faqs,
        title: t('trust.faq.title'),
        description: t('trust.faq.description'),
        addLabel: t('trust.faq.add'),
        emptyTitle: t('trust.faq.emptyTitle'),
        emptyDescription: t('trust.faq.emptyDescription'),
        nameOf: (f) => text(f.question),
        searchText: (f) => [...Object.values(f.question), ...Object.values(f.answer)],
        ordered: true,
        fields: [
          { name: 'question', label: t('trust.faq.question'), kind: 'localized', required: true },
          { name: 'answer', label: t('trust.faq.answer'), kind: 'localizedText', required: true },
        ],
        headers: [t('trust.faq.question'), t('trust.common.languages')],
        cells: (f) => (
          <>
            <Table.Td>{text(f.question)}</Table.Td>
            <Table.Td>
              <LocaleBadges value={f.question} />
            </Table.Td>
          </>
        ),
      }}
    />
  );
}

export function SubprocessorsEditor() {
  const { t } = useTranslation();
  const fmt = useFormat();
  const text = useLocalized();
  return (
    <CollectionEditor<Subprocessor>
      config={{
        api: trustApi.subprocessors,
        title: t('trust.subprocessors.title'),
        description: t('trust.subprocessors.description'),
        addLabel: t('trust.subprocessors.add'),
        emptyTitle: t('trust.subprocessors.emptyTitle'),
        emptyDescription: t('trust.subprocessors.emptyDescription'),
        nameOf: (s) => s.name,
        searchText: (s) => [s.name, ...Object.values(s.location), ...Object.values(s.purpose)],
        ordered: true,
        fields: [
          { name: 'name', label: t('trust.subprocessors.name'), kind: 'text', required: true },
          { name: 'location', label: t('trust.subprocessors.location'), kind: 'localized', required: true },
          { name: 'website', label: t('trust.subprocessors.website'), kind: 'text', nullable: true },
          { name: 'effectiveOn', label: t('trust.subprocessors.effectiveOn'), kind: 'date', nullable: true },
          { name: 'removedOn', label: t('trust.subprocessors.removedOn'), kind: 'date', nullable: true },
          { name: 'purpose', label: t('trust.subprocessors.purpose'), kind: 'localizedText', required: true },
        ],
        headers: [
          t('trust.subprocessors.name'),
          t('trust.subprocessors.purpose'),
          t('trust.subprocessors.location'),
          t('trust.subprocessors.effectiveOn'),
          t('trust.subprocessors.removedOn'),
        ],
        minWidth: 860,
        cells: (s) => (
          <>
            <Table.Td>
              {s.website ? (
                <Anchor href={s.website} target="_blank" rel="noopener noreferrer" size="sm">
                  {s.name}
                </Anchor>
              ) : (
                s.name
              )}
            </Table.Td>
            <Table.Td>{text(s.purpose)}</Table.Td>
            <Table.Td>{text(s.location)}</Table.Td>
            <Table.Td>{fmt.date(s.effectiveOn)}</Table.Td>
            <Table.Td>{fmt.date(s.removedOn)}</Table.Td>
          </>
        ),
      }}
    />
  );
}

export function UpdatesEditor() {
  const { t } = useTranslation();
  const fmt = useFormat();
  const text = useLocalized();
  return (
    <CollectionEditor<UpdateNote>
      config={{
        api: trustApi.updates,
        title: t('trust.updates.title'),
        description: t('trust.updates.description'),
        addLabel: t('trust.updates.add'),
        emptyTitle: t('trust.updates.emptyTitle'),
        emptyDescription: t('trust.updates.emptyDescription'),
        nameOf: (u) => text(u.title),
        searchText: (u) => [u.slug, ...Object.values(u.title)],
        defaults: { publishedOn: new Date().toISOString().slice(0, 10) },
        fields: [
          {
            name: 'slug',
            label: t('trust.common.slug'),
            description: t('trust.common.slugHint'),
            kind: 'text',
          },
          { name: 'publishedOn', label: t('trust.updates.publishedOn'), kind: 'date', required: true },
          { name: 'title', label: t('trust.common.titleField'), kind: 'localized', required: true },
          { name: 'body', label: t('trust.common.body'), kind: 'localizedText', required: true },
        ],
        headers: [t('trust.common.titleField'), t('trust.updates.publishedOn'), t('trust.common.languages')],
        cells: (u) => (
          <>
            <Table.Td>
              <Text size="sm" fw={500}>
                {text(u.title)}
              </Text>
              <Text size="xs" c="dimmed">
                {u.slug}
              </Text>
            </Table.Td>
            <Table.Td>{fmt.date(u.publishedOn)}</Table.Td>
            <Table.Td>
              <LocaleBadges value={u.title} />
            </Table.Td>
          </>
        ),
      }}
    />
  );
}
