import { Anchor, Badge, Button, FileInput, Group, NativeSelect, Stack, Table, Text } from '@mantine/core';
import { useCallback, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { LOCALES, type Locale } from '../../api';
import { type DocumentFile, type TrustDocumentDetail, trustApi } from '../../api-trust';
import { FormError } from '../../components/FormError';
import { ListTable } from '../../components/ListTable';
import { errorMessage, notifySuccess } from '../../lib/errors';
import { useFormat } from '../../lib/format';
import { useLoad } from '../../lib/useLoad';
import { useCanManageContent } from './shared';

function formatSize(bytes: number, number: (n: number) => string): string {
  if (bytes < 1024) return `${number(bytes)} B`;
  if (bytes < 1024 * 1024) return `${number(Math.round(bytes / 102.4) / 10)} KiB`;
  return `${number(Math.round(bytes / 104857.6) / 10)} MiB`;
}

/** A document's files: upload a new version (per locale or for all) and every version so far. */
export function DocumentVersions({ documentId, onChanged }: { documentId: string; onChanged: () => void }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const canManage = useCanManageContent();
  const fetchDoc = useCallback(() => trustApi.document(documentId), [documentId]);
  const doc = useLoad<TrustDocumentDetail | null>(fetchDoc, null);
  const [file, setFile] = useState<File | null>(null);
  const [locale, setLocale] = useState<Locale | ''>('');
  const [uploading, setUploading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const files = doc.data?.files ?? [];

  const upload = async () => {
    if (!file) {
      setError(t('trust.documents.chooseFile'));
      return;
    }
    setError(null);
    setUploading(true);
    try {
      const added = await trustApi.uploadDocumentFile(documentId, file, locale || null);
      setFile(null);
      notifySuccess(t('trust.documents.uploaded', { name: added.fileName, version: added.version }));
      doc.reload();
      onChanged();
    } catch (err) {
      setError(errorMessage(err, t));
    } finally {
      setUploading(false);
    }
  };

  const localeLabel = (l: Locale | null) => (l ? t(`languages.${l}`) : t('trust.documents.allLocales'));

  return (
    <Stack>
      {canManage ? (
        <Stack gap="xs">
          <FormError message={error} />
          <Group align="flex-end">
            <FileInput
              label={t('trust.documents.file')}
              description={t('trust.documents.fileHint')}
              value={file}
              onChange={setFile}
              clearable
              w={300}
            />
            <NativeSelect
              label={t('trust.documents.fileLocale')}
              value={locale}
              onChange={(e) => setLocale(e.currentTarget.value as Locale | '')}
              data={[
                { value: '', label: t('trust.documents.allLocales') },
                ...LOCALES.map((l) => ({ value: l, label: t(`languages.${l}`) })),
              ]}
            />
            <Button onClick={() => void upload()} loading={uploading}>
              {t('trust.documents.upload')}
            </Button>
          </Group>
        </Stack>
      ) : null}
      <ListTable<DocumentFile>
        list={doc}
        rows={files}
        empty={{
          title: t('trust.documents.noFilesTitle'),
          description: t('trust.documents.noFilesDescription'),
        }}
        headers={[
          t('trust.documents.fileName'),
          t('trust.documents.fileLocale'),
          t('trust.documents.version'),
          t('trust.documents.size'),
          t('trust.documents.uploadedAt'),
        ]}
        minWidth={720}
        cells={(f) => (
          <>
            <Table.Td>
              <Anchor
                href={trustApi.documentFileUrl(documentId, f.id)}
                target="_blank"
                rel="noopener"
                size="sm"
              >
                {f.fileName}
              </Anchor>
              {f.current ? (
                <Badge ml="xs" size="xs" color="green" variant="light">
                  {t('trust.documents.current')}
                </Badge>
              ) : null}
            </Table.Td>
            <Table.Td>{localeLabel(f.locale)}</Table.Td>
            <Table.Td>{fmt.number(f.version)}</Table.Td>
            <Table.Td>
              <Text size="sm" title={f.contentType}>
                {formatSize(f.sizeBytes, fmt.number)}
              </Text>
            </Table.Td>
            <Table.Td>{fmt.dateTime(f.createdAt)}</Table.Td>
            <Table.Td />
          </>
        )}
      />
    </Stack>
  );
}
