import { Anchor, Button, Menu, Modal, Stack, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type Advisory, advisoriesApi, EXPORT_FORMATS } from '../../api-disclosure-advisories';

const CNA_KEY = 'attest.advisories.cnaOrgId';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;

/** Downloads of one advisory: OSV, CSAF, GitHub at once; the CVE record first asks for the CNA's organisation id. */
export function AdvisoryExportMenu({ advisory }: { advisory: Advisory }) {
  const { t } = useTranslation('vdpAdvisories');
  const [askCna, setAskCna] = useState(false);
  const [cnaOrgId, setCnaOrgId] = useState(() => localStorage.getItem(CNA_KEY) ?? '');
  const valid = UUID.test(cnaOrgId.trim());
  return (
    <>
      <Menu position="bottom-end" withinPortal>
        <Menu.Target>
          <Button
            size="compact-sm"
            variant="subtle"
            aria-label={t('export.menuFor', { identifier: advisory.identifier })}
          >
            {t('export.menu')}
          </Button>
        </Menu.Target>
        <Menu.Dropdown>
          {EXPORT_FORMATS.map((format) =>
            format === 'cve5' ? (
              <Menu.Item key={format} onClick={() => setAskCna(true)} disabled={!advisory.cveId}>
                {t(`export.${format}`)}
              </Menu.Item>
            ) : (
              <Menu.Item
                key={format}
                component="a"
                href={advisoriesApi.exportUrl(advisory.id, format)}
                download
              >
                {t(`export.${format}`)}
              </Menu.Item>
            ),
          )}
        </Menu.Dropdown>
      </Menu>
      <Modal opened={askCna} onClose={() => setAskCna(false)} title={t('export.cve5')} centered>
        <Stack>
          <Text size="sm">{t('export.cnaExplain')}</Text>
          <TextInput
            label={t('export.cnaOrgId')}
            value={cnaOrgId}
            ff="monospace"
            onChange={(e) => setCnaOrgId(e.currentTarget.value)}
            error={cnaOrgId && !valid ? t('export.cnaInvalid') : undefined}
          />
          {valid ? (
            <Anchor
              href={advisoriesApi.exportUrl(advisory.id, 'cve5', cnaOrgId.trim())}
              download
              onClick={() => {
                localStorage.setItem(CNA_KEY, cnaOrgId.trim());
                setAskCna(false);
              }}
            >
              {t('export.download')}
            </Anchor>
          ) : null}
        </Stack>
      </Modal>
    </>
  );
}
