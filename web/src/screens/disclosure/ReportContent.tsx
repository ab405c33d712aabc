import { Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { ReportDetail } from '../../api-disclosure-triage';
import { Section } from '../../components/Section';

const PARTS = ['description', 'steps', 'impact'] as const;

/**
 * What the researcher wrote, exactly as written: plain text with its line breaks (never rendered as HTML or
 * markdown, so nothing in a report can run or fetch anything in the team's browser).
 */
export function ReportContent({ report }: { report: ReportDetail }) {
  const { t } = useTranslation('vdpTriage');
  return (
    <Section title={t('content.title')}>
      <Stack gap="md">
        {PARTS.map((part) => {
          const text = report.content[part].trim();
          return (
            <Stack key={part} gap={4}>
              <Title order={3} size="h5">
                {t(`content.${part}`)}
              </Title>
              {text ? (
                <Text component="pre" className="mail-body">
                  {text}
                </Text>
              ) : (
                <Text size="sm" c="dimmed">
                  {t('content.empty')}
                </Text>
              )}
            </Stack>
          );
        })}
      </Stack>
    </Section>
  );
}
