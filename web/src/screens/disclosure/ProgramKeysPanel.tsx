import {
  Badge,
  Button,
  Code,
  Modal,
  NumberInput,
  PasswordInput,
  Stack,
  Table,
  Textarea,
  TextInput,
} from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type ProgramKey, programApi } from '../../api-disclosure-program';
import { ListTable } from '../../components/ListTable';
import { Section } from '../../components/Section';
import { SectionForm } from '../../components/SubmitForm';
import { useConfirmedAction } from '../../components/useConfirm';
import { notifySuccess } from '../../lib/errors';
import { useFormat } from '../../lib/format';
import { useLoad } from '../../lib/useLoad';
import { useSubmit } from '../../lib/useSubmit';

const fetchKeys = () => programApi.keys().then((r) => r.items);

/** `E4EFF1FC…` in groups of four, as gpg prints fingerprints. */
function grouped(fingerprint: string): string {
  return fingerprint.replace(/(.{4})(?!$)/g, '$1 ');
}

function GenerateKeyForm({ onDone }: { onDone: (key: ProgramKey) => void }) {
  const { t } = useTranslation('vdpProgram');
  const [expiresInDays, setExpiresInDays] = useState<number | string>(730);
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const submit = useSubmit(async () => {
    const days = typeof expiresInDays === 'number' ? expiresInDays : Number.parseInt(expiresInDays, 10);
    const key = await programApi.generateKey({
      expiresInDays: Number.isFinite(days) ? days : null,
      ...(name.trim() ? { name: name.trim() } : {}),
      ...(email.trim() ? { email: email.trim() } : {}),
    });
    notifySuccess(t('keys.generated'));
    onDone(key);
  });
  return (
    <SectionForm submit={submit} submitLabel={t('keys.generate')}>
      <NumberInput
        label={t('keys.expiresInDays')}
        description={t('keys.expiresInDaysHint')}
        min={30}
        max={3650}
        value={expiresInDays}
        onChange={setExpiresInDays}
        error={submit.fieldErrors.expiresInDays}
      />
      <TextInput
        label={t('keys.name')}
        description={t('keys.nameHint')}
        value={name}
        onChange={(e) => setName(e.currentTarget.value)}
        error={submit.fieldErrors.name}
      />
      <TextInput
        type="email"
        label={t('keys.email')}
        description={t('keys.emailHint')}
        value={email}
        onChange={(e) => setEmail(e.currentTarget.value)}
        error={submit.fieldErrors.email}
      />
    </SectionForm>
  );
}

function ImportKeyForm({ onDone }: { onDone: (key: ProgramKey) => void }) {
  const { t } = useTranslation('vdpProgram');
  const [armoredKey, setArmoredKey] = useState('');
  const [passphrase, setPassphrase] = useState('');
  const submit = useSubmit(async () => {
    const key = await programApi.importKey({ armoredKey, ...(passphrase ? { passphrase } : {}) });
    notifySuccess(t('keys.imported'));
    onDone(key);
  });
  return (
    <SectionForm submit={submit} submitLabel={t('keys.import')}>
      <Textarea
        label={t('keys.armoredKey')}
        description={t('keys.armoredKeyHint')}
        autosize
        minRows={6}
        maxRows={14}
        required
        value={armoredKey}
        onChange={(e) => setArmoredKey(e.currentTarget.value)}
        error={submit.fieldErrors.armoredKey}
        styles={{ input: { fontFamily: 'monospace' } }}
      />
      <PasswordInput
        label={t('keys.passphrase')}
        value={passphrase}
        onChange={(e) => setPassphrase(e.currentTarget.value)}
        error={submit.fieldErrors.passphrase}
        autoComplete="off"
      />
    </SectionForm>
  );
}

/** The program's OpenPGP keys: fingerprint, expiry and status; generate, import, deactivate for managers. */
export function ProgramKeysPanel({ canManage }: { canManage: boolean }) {
  const { t } = useTranslation('vdpProgram');
  const fmt = useFormat();
  const keys = useLoad<ProgramKey[]>(fetchKeys, []);
  const [dialog, confirmThen] = useConfirmedAction();
  const [open, setOpen] = useState<'generate' | 'import' | null>(null);
  const now = Date.now();
  const usable = (k: ProgramKey) => k.active && (!k.expiresAt || Date.parse(k.expiresAt) > now);
  // The server uses the newest active, unexpired key (the list comes newest first).
  const inUse = keys.data.find(usable)?.id;

  const added = (key: ProgramKey) => {
    keys.setData((previous) => [key, ...previous]);
    setOpen(null);
  };

  const deactivate = (key: ProgramKey) =>
    confirmThen(
      {
        title: t('keys.deactivateTitle'),
        message: t('keys.deactivateMessage'),
        confirmLabel: t('keys.deactivate'),
        danger: true,
      },
      async () => {
        await programApi.deactivateKey(key.id);
        keys.setData((previous) => previous.map((k) => (k.id === key.id ? { ...k, active: false } : k)));
        notifySuccess(t('keys.deactivated'));
      },
    );

  const status = (key: ProgramKey) => {
    if (key.id === inUse) return <Badge color="green">{t('keys.inUse')}</Badge>;
    if (!key.active) return <Badge color="gray">{t('keys.inactive')}</Badge>;
    if (!usable(key)) return <Badge color="red">{t('keys.expired')}</Badge>;
    return <Badge variant="outline">{t('keys.active')}</Badge>;
  };

  return (
    <Section
      title={t('keys.title')}
      description={t('keys.description')}
      actions={
        canManage ? (
          <>
            <Button size="xs" onClick={() => setOpen('generate')}>
              {t('keys.generate')}
            </Button>
            <Button size="xs" variant="default" onClick={() => setOpen('import')}>
              {t('keys.import')}
            </Button>
          </>
        ) : null
      }
    >
      {dialog}
      <ListTable
        list={keys}
        rows={keys.data}
        empty={{ title: t('keys.emptyTitle'), description: t('keys.emptyDescription') }}
        headers={[
          t('keys.fingerprint'),
          t('keys.userIds'),
          t('keys.algorithm'),
          t('keys.expires'),
          t('keys.status'),
        ]}
        caption={t('keys.caption')}
        minWidth={860}
        cells={(key) => (
          <>
            <Table.Td>
              <Code>{grouped(key.fingerprint)}</Code>
            </Table.Td>
            <Table.Td>
              <Stack gap={0}>
                {key.userIds.map((id) => (
                  <span key={id}>{id}</span>
                ))}
              </Stack>
            </Table.Td>
            <Table.Td>{key.algorithm}</Table.Td>
            <Table.Td>{key.expiresAt ? fmt.date(key.expiresAt) : t('keys.never')}</Table.Td>
            <Table.Td>{status(key)}</Table.Td>
            <Table.Td>
              {canManage && key.active ? (
                <Button size="xs" variant="subtle" color="red" onClick={() => void deactivate(key)}>
                  {t('keys.deactivate')}
                </Button>
              ) : null}
            </Table.Td>
          </>
        )}
      />
      <Modal
        opened={open === 'generate'}
        onClose={() => setOpen(null)}
        title={t('keys.generateTitle')}
        centered
      >
        <GenerateKeyForm onDone={added} />
      </Modal>
      <Modal
        opened={open === 'import'}
        onClose={() => setOpen(null)}
        title={t('keys.importTitle')}
        size="lg"
        centered
      >
        <ImportKeyForm onDone={added} />
      </Modal>
    </Section>
  );
}
