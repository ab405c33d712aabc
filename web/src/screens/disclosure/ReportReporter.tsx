import { Anchor, Button, Table, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { type ReportDetail, triageApi } from '../../api-disclosure-triage';
import { Section } from '../../components/Section';
import { useConfirmedAction } from '../../components/useConfirm';
import { notifySuccess } from '../../lib/errors';
import { useFormat } from '../../lib/format';

const FIELDS = ['name', 'email', 'handle', 'url'] as const;

/** A link only for web addresses: a researcher's "URL" is their text, and may be anything. */
function isWebUrl(value: string): boolean {
  return /^https?:\/\//i.test(value);
}

/**
 * Who reported it and how they want to be credited; their personal data can be erased on request (the
 * report itself stays, anonymous). Other reports from the same address are named, as they keep theirs.
 */
export function ReportReporter({ report, onErased }: { report: ReportDetail; onErased: () => void }) {
  const { t } = useTranslation('vdpTriage');
  const fmt = useFormat();
  const [dialog, confirmThen] = useConfirmedAction();
  const reporter = report.reporter;

  const erase = () =>
    confirmThen(
      {
        title: t('reporter.eraseTitle', { number: report.number }),
        message: t('reporter.eraseMessage'),
        confirmLabel: t('reporter.eraseConfirm'),
        danger: true,
      },
      async () => {
        const result = await triageApi.eraseReporter(report.id);
        const others = result.otherReports.map((other) => `#${other.number}`).join(', ');
        notifySuccess(
          others
            ? t('reporter.erasedWithOthers', { count: result.otherReports.length, reports: others })
            : t('reporter.erased'),
        );
        onErased();
      },
    );

  return (
    <Section
      title={t('reporter.title')}
      actions={
        reporter ? (
          <Button size="xs" variant="light" color="red" onClick={erase}>
            {t('reporter.erase')}
          </Button>
        ) : null
      }
    >
      {dialog}
      {reporter ? (
        <Table variant="vertical" withTableBorder>
          <Table.Tbody>
            {FIELDS.map((field) => {
              const value = reporter[field];
              return (
                <Table.Tr key={field}>
                  <Table.Th w={140}>{t(`reporter.${field}`)}</Table.Th>
                  <Table.Td>
                    {!value ? (
                      '—'
                    ) : field === 'email' ? (
                      <Anchor href={`mailto:${value}`} size="sm">
                        {value}
                      </Anchor>
                    ) : field === 'url' && isWebUrl(value) ? (
                      <Anchor href={value} target="_blank" rel="noopener noreferrer nofollow" size="sm">
                        {value}
                      </Anchor>
                    ) : (
                      value
                    )}
                  </Table.Td>
                </Table.Tr>
              );
            })}
            <Table.Tr>
              <Table.Th>{t('reporter.credit')}</Table.Th>
              <Table.Td>
                {t(
                  `reporter.creditPreference.${report.creditPreference}` as 'reporter.creditPreference.name',
                  {
                    defaultValue: report.creditPreference,
                  },
                )}
              </Table.Td>
            </Table.Tr>
          </Table.Tbody>
        </Table>
      ) : (
        <Text size="sm" c="dimmed">
          {report.erasedAt
            ? t('reporter.erasedOn', { date: fmt.dateTime(report.erasedAt) })
            : t('reporter.anonymous')}
        </Text>
      )}
    </Section>
  );
}
