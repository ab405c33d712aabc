import {
  Alert,
  Badge,
  Button,
  Checkbox,
  Group,
  Modal,
  NativeSelect,
  Stack,
  Table,
  Text,
} from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useCallback, useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  ACCESS_LEVELS,
  type AccessLevel,
  type TrustDocument,
  type TrustDocumentDetail,
  trustApi,
} from '../../api-trust';
import { ListTable } from '../../components/ListTable';
import { PageHeader } from '../../components/PageHeader';
import { RowButton } from '../../components/RowButton';
import { SearchBar } from '../../components/SearchBar';
import { Section } from '../../components/Section';
import { useConfirmedAction } from '../../components/useConfirm';
import { notifySuccess } from '../../lib/errors';
import { useFormat } from '../../lib/format';
import { useCursorList } from '../../lib/useCursorList';
import { DocumentForm } from './DocumentForm';
import { DocumentVersions } from './DocumentVersions';
import { PAGE_SIZE, useCanManageContent, useLocalized } from './shared';

const STATUS_COLOR: Record<TrustDocument['status'], string> = {
  active: 'green',
  scheduled: 'blue',
  expired: 'orange',
  archived: 'gray',
};
const LEVEL_COLOR: Record<AccessLevel, string> = { public: 'teal', request: 'blue', nda: 'grape' };

export function TrustDocumentsPage() {
  const { t } = useTranslation();
  const fmt = useFormat();
  const text = useLocalized();
  const canManage = useCanManageContent();
  const [dialog, confirmThen] = useConfirmedAction();
  const [search, setSearch] = useState('');
  const [q] = useDebouncedValue(search.trim(), 300);
  const [level, setLevel] = useState<AccessLevel | ''>('');
  const [archived, setArchived] = useState(false);
  const [editing, setEditing] = useState<TrustDocument | 'new' | null>(null);
  const [versionsOf, setVersionsOf] = useState<TrustDocument | null>(null);

  const fetchPage = useCallback(
    (cursor: string | null) =>
      trustApi.documents({
        limit: PAGE_SIZE,
        cursor,
        q,
        accessLevel: level,
        archived: archived ? 'true' : 'false',
      }),
    [q, level, archived],
  );
  const list = useCursorList(fetchPage);
  const filtered = q !== '' || level !== '' || archived;

  const onSaved = (saved: TrustDocumentDetail) => {
    const isNew = editing === 'new';
    setEditing(null);
    notifySuccess(t('trust.common.saved', { name: text(saved.title) }));
    if (isNew) {
      list.reload();
      setVersionsOf(saved);
    } else list.update(saved.id, () => saved);
  };

  const archive = (doc: TrustDocument) =>
    confirmThen(
      {
        title: t('trust.documents.archiveTitle'),
        message: t('trust.documents.archiveConfirm', { name: text(doc.title) }),
        confirmLabel: t('trust.documents.archive'),
        danger: true,
      },
      async () => {
        await trustApi.archiveDocument(doc.id);
        list.update(doc.id, () => null);
        notifySuccess(t('trust.documents.archived', { name: text(doc.title) }));
      },
    );

  const current = editing === 'new' ? null : editing;
  const needAttention = list.items.filter((doc) => doc.warnings.length > 0).length;
  return (
    <>
      {dialog}
      <PageHeader
        title={t('trust.documents.title')}
        description={t('trust.documents.description')}
        actions={
          canManage ? <Button onClick={() => setEditing('new')}>{t('trust.documents.add')}</Button> : null
        }
      />
      <Modal
        opened={editing !== null}
        onClose={() => setEditing(null)}
        title={
          current ? t('trust.common.editNamed', { name: text(current.title) }) : t('trust.documents.add')
        }
        size="lg"
      >
        {editing !== null ? <DocumentForm document={current} onSaved={onSaved} /> : null}
      </Modal>
      <Modal
        opened={versionsOf !== null}
        onClose={() => setVersionsOf(null)}
        title={versionsOf ? t('trust.documents.versionsOf', { name: text(versionsOf.title) }) : ''}
        size="xl"
      >
        {versionsOf ? <DocumentVersions documentId={versionsOf.id} onChanged={list.reload} /> : null}
      </Modal>
      <Section title={t('trust.documents.listTitle')}>
        <Stack>
          {needAttention > 0 ? (
            <Alert color="orange" title={t('trust.documents.warningsTitle')} data-testid="document-warnings">
              {t('trust.documents.warningsSummary', { count: needAttention })}
            </Alert>
          ) : null}
          <SearchBar
            region={t('trust.documents.searchRegion')}
            label={t('trust.common.search')}
            placeholder={t('trust.documents.searchPlaceholder')}
            value={search}
            onChange={setSearch}
            width={280}
          >
            <NativeSelect
              label={t('trust.documents.accessLevel')}
              value={level}
              onChange={(e) => setLevel(e.currentTarget.value as AccessLevel | '')}
              data={[
                { value: '', label: t('trust.common.all') },
                ...ACCESS_LEVELS.map((l) => ({ value: l, label: t(`trust.accessLevel.${l}`) })),
              ]}
            />
            <Checkbox
              mb={8}
              label={t('trust.documents.showArchived')}
              checked={archived}
              onChange={(e) => setArchived(e.currentTarget.checked)}
            />
          </SearchBar>
          <ListTable
            list={list}
            rows={list.items}
            empty={{
              title: t('trust.documents.emptyTitle'),
              description: t('trust.documents.emptyDescription'),
            }}
            noMatch={
              filtered && {
                title: t('trust.common.noMatchTitle'),
                description: t('trust.common.noMatchDescription'),
                onClear: () => {
                  setSearch('');
                  setLevel('');
                  setArchived(false);
                },
              }
            }
            minWidth={900}
            headers={[
              t('trust.common.titleField'),
              t('trust.documents.accessLevel'),
              t('common.status'),
              t('trust.documents.validity'),
              t('trust.documents.files'),
            ]}
            cells={(doc) => {
              const name = text(doc.title);
              return (
                <>
                  <Table.Td>
                    <Text size="sm" fw={500}>
                      {name}
                    </Text>
                    <Text size="xs" c="dimmed">
                      {doc.slug}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Badge variant="light" color={LEVEL_COLOR[doc.accessLevel]}>
                      {t(`trust.accessLevel.${doc.accessLevel}`)}
                    </Badge>
                  </Table.Td>
                  <Table.Td>
                    <Badge variant="light" color={STATUS_COLOR[doc.status]}>
                      {t(`trust.documentStatus.${doc.status}`)}
                    </Badge>
                  </Table.Td>
                  <Table.Td>
                    {t('trust.documents.validRange', {
                      from: fmt.date(doc.validFrom),
                      to: fmt.date(doc.validUntil),
                    })}
                  </Table.Td>
                  <Table.Td>
                    {doc.currentFiles.length === 0 ? (
                      <Text size="sm" c="orange">
                        {t('trust.documents.noFile')}
                      </Text>
                    ) : (
                      doc.currentFiles.map((f) => (
                        <Badge
                          key={f.id}
                          size="xs"
                          variant="outline"
                          color={f.missing ? 'red' : undefined}
                          mr={4}
                        >
                          {f.locale ?? t('trust.documents.allShort')} · v{f.version}
                        </Badge>
                      ))
                    )}
                    {doc.warnings.map((warning) => (
                      <Text key={warning} size="xs" c={warning === 'file-missing' ? 'red' : 'orange'} mt={4}>
                        {t(`trust.documents.warnings.${warning}`)}
                      </Text>
                    ))}
                  </Table.Td>
                  <Table.Td>
                    <Group gap={4} wrap="nowrap">
                      <RowButton
                        onClick={() => setVersionsOf(doc)}
                        aria-label={t('trust.documents.versionsOf', { name })}
                      >
                        {t('trust.documents.versions')}
                      </RowButton>
                      {canManage && !doc.archivedAt ? (
                        <>
                          <RowButton
                            onClick={() => setEditing(doc)}
                            aria-label={t('trust.common.editNamed', { name })}
                          >
                            {t('trust.common.edit')}
                          </RowButton>
                          <RowButton
                            danger
                            onClick={() => void archive(doc)}
                            aria-label={t('trust.documents.archiveNamed', { name })}
                          >
                            {t('trust.documents.archive')}
                          </RowButton>
                        </>
                      ) : null}
                    </Group>
                  </Table.Td>
                </>
              );
            }}
          />
        </Stack>
      </Section>
    </>
  );
}
