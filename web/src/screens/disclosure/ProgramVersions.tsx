import { Table } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { type ProgramVersion, programApi } from '../../api-disclosure-program';
import { ListTable } from '../../components/ListTable';
import { Section } from '../../components/Section';
import { useFormat } from '../../lib/format';
import { useLoad } from '../../lib/useLoad';
import { useUserNames } from '../../lib/useUserNames';

const fetchVersions = () => programApi.versions().then((r) => r.items);

/** Published versions, newest first (the page re-mounts it after a publish). */
export function ProgramVersions() {
  const { t } = useTranslation('vdpProgram');
  const fmt = useFormat();
  const nameOf = useUserNames();
  const versions = useLoad<ProgramVersion[]>(fetchVersions, []);
  const rows = versions.data.map((v) => ({ ...v, id: String(v.version) }));
  return (
    <Section title={t('versions.title')} description={t('versions.description')}>
      <ListTable
        list={versions}
        rows={rows}
        empty={{ title: t('versions.emptyTitle'), description: t('versions.emptyDescription') }}
        headers={[t('versions.version'), t('versions.publishedAt'), t('versions.publishedBy')]}
        caption={t('versions.caption')}
        minWidth={480}
        cells={(v) => (
          <>
            <Table.Td>{v.version}</Table.Td>
            <Table.Td>{fmt.dateTime(v.publishedAt)}</Table.Td>
            <Table.Td>{v.publishedBy ? nameOf(v.publishedBy) : t('versions.system')}</Table.Td>
            <Table.Td />
          </>
        )}
      />
    </Section>
  );
}
