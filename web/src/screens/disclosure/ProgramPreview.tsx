import { Anchor, Button, Code, Group, SegmentedControl, Stack, Text } from '@mantine/core';
import { useCallback, useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { LOCALES, type Locale } from '../../api';
import { programApi, RENDERS, type Render } from '../../api-disclosure-program';
import { StatusLoader } from '../../components/FullPageLoader';
import { LoadError } from '../../components/ListStatus';
import { Section } from '../../components/Section';

/**
 * The saved draft in its three renders: the policy page in a sandboxed frame (no scripts, no same-origin
 * access), SECURITY.md and security.txt as text. The page re-mounts it after each save.
 */
export function ProgramPreview() {
  const { t } = useTranslation('vdpProgram');
  const { t: tc } = useTranslation();
  const renderLabel = useId();
  const languageLabel = useId();
  const [render, setRender] = useState<Render>('html');
  const [locale, setLocale] = useState<Locale>('en');
  const [text, setText] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(true);

  const load = useCallback(() => {
    setLoading(true);
    setError(null);
    programApi
      .preview(render, locale)
      .then(setText)
      .catch((err: unknown) => setError(err))
      .finally(() => setLoading(false));
  }, [render, locale]);

  useEffect(load, [load]);

  return (
    <Section
      title={t('tabs.preview')}
      description={t('preview.description')}
      actions={
        <>
          <Anchor href={programApi.previewUrl(render, locale)} target="_blank" rel="noopener" size="sm">
            {t('preview.openInTab')}
          </Anchor>
          <Button variant="default" size="xs" onClick={load}>
            {t('preview.refresh')}
          </Button>
        </>
      }
    >
      <Stack>
        <Group wrap="wrap">
          <Stack gap={4}>
            <Text size="sm" fw={500} id={renderLabel}>
              {t('preview.render')}
            </Text>
            <SegmentedControl
              aria-labelledby={renderLabel}
              value={render}
              onChange={(value) => setRender(value as Render)}
              data={RENDERS.map((r) => ({ value: r, label: t(`preview.renders.${r}`) }))}
            />
          </Stack>
          {render === 'securitytxt' ? null : (
            <Stack gap={4}>
              <Text size="sm" fw={500} id={languageLabel}>
                {t('preview.language')}
              </Text>
              <SegmentedControl
                aria-labelledby={languageLabel}
                value={locale}
                onChange={(value) => setLocale(value as Locale)}
                data={LOCALES.map((l) => ({ value: l, label: tc(`languages.${l}`) }))}
              />
            </Stack>
          )}
        </Group>
        {loading && text === null ? <StatusLoader py="xl" size="sm" /> : null}
        {error ? <LoadError error={error} onRetry={load} /> : null}
        {text !== null && !error ? (
          render === 'html' ? (
            <iframe
              title={t('preview.frameTitle')}
              sandbox=""
              srcDoc={text}
              style={{
                width: '100%',
                height: '70vh',
                border: '1px solid var(--mantine-color-default-border)',
              }}
            />
          ) : (
            <Code block style={{ whiteSpace: 'pre-wrap', maxHeight: '70vh', overflow: 'auto' }}>
              {text}
            </Code>
          )
        ) : null}
      </Stack>
    </Section>
  );
}
