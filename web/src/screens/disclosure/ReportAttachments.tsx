import { Anchor, Code, Table, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { type ReportDetail, triageApi } from '../../api-disclosure-triage';
import { Section } from '../../components/Section';
import { useFormat } from '../../lib/format';

/** "12 KB", "3.4 MB": file sizes in the interface language's number format. */
function useFileSize(): (bytes: number) => string {
  const { i18n } = useTranslation();
  const locale = i18n.resolvedLanguage ?? 'en';
  return (bytes) => {
    const [value, unit] =
      bytes >= 1_000_000
        ? [bytes / 1_000_000, 'megabyte']
        : bytes >= 1000
          ? [bytes / 1000, 'kilobyte']
          : [bytes, 'byte'];
    return new Intl.NumberFormat(locale, {
      style: 'unit',
      unit,
      // "6 bytes" rather than "6 byte"; the larger units read well short ("12 kB").
      unitDisplay: unit === 'byte' ? 'long' : 'short',
      maximumFractionDigits: 1,
    }).format(value);
  };
}

/**
 * The files sent with the report and its messages. Downloads come from the server as attachments (never
 * shown inline), and each one is audited; the SHA-256 lets the team check a file against the researcher's.
 */
export function ReportAttachments({ report }: { report: ReportDetail }) {
  const { t } = useTranslation('vdpTriage');
  const fmt = useFormat();
  const size = useFileSize();
  return (
    <Section title={t('attachments.title')}>
      {report.attachments.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('attachments.none')}
        </Text>
      ) : (
        <Table.ScrollContainer minWidth={360}>
          <Table>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('attachments.file')}</Table.Th>
                <Table.Th>{t('attachments.size')}</Table.Th>
                <Table.Th>{t('attachments.added')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {report.attachments.map((file) => (
                <Table.Tr key={file.id}>
                  <Table.Td>
                    <Anchor
                      href={triageApi.attachmentUrl(report.id, file.id)}
                      download={file.fileName}
                      size="sm"
                    >
                      {file.fileName}
                    </Anchor>
                    <Text size="xs" c="dimmed">
                      {file.contentType} ·{' '}
                      <Code title={t('attachments.sha256')}>{file.sha256.slice(0, 16)}…</Code>
                    </Text>
                  </Table.Td>
                  <Table.Td>{size(file.size)}</Table.Td>
                  <Table.Td>{fmt.dateTime(file.createdAt)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Section>
  );
}
