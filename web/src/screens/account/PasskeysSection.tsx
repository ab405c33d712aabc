import { Alert, Button, Group, Stack, Table, Text, TextInput } from '@mantine/core';
import { browserSupportsWebAuthn, startRegistration } from '@simplewebauthn/browser';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, type Passkey } from '../../api';
import { FormError } from '../../components/FormError';
import { ListTable } from '../../components/ListTable';
import { RowButton } from '../../components/RowButton';
import { Section } from '../../components/Section';
import { StepUpFields, useStepUp } from '../../components/StepUpFields';
import { SectionForm } from '../../components/SubmitForm';
import { FieldErrors, notifySuccess } from '../../lib/errors';
import { useFormat } from '../../lib/format';
import { useLoad } from '../../lib/useLoad';
import { useSubmit } from '../../lib/useSubmit';

const loadPasskeys = () => api.passkeys().then((res) => res.items);

export function PasskeysSection() {
  const { t } = useTranslation();
  const fmt = useFormat();
  const stepUp = useStepUp();
  const removeStepUp = useStepUp();
  const [removing, setRemoving] = useState<Passkey | null>(null);
  const passkeys = useLoad<Passkey[]>(loadPasskeys, []);
  const [name, setName] = useState('');
  const supported = browserSupportsWebAuthn();

  const add = useSubmit(async () => {
    if (!name.trim()) throw new FieldErrors({ name: t('validation.required') });
    const optionsJSON = await api.passkeyOptions(stepUp.proof(t('validation.required')));
    stepUp.reset();
    const response = await startRegistration({ optionsJSON });
    const passkey = await api.addPasskey(name.trim(), response);
    passkeys.setData((prev) => [...prev, passkey]);
    setName('');
    notifySuccess(t('account.passkeys.added'));
  });

  // Removing a factor needs the password and a current factor, so it asks in a form, not a dialog.
  const remove = useSubmit(async () => {
    if (!removing) return;
    await api.removePasskey(removing.id, removeStepUp.proof(t('validation.required')));
    passkeys.setData((prev) => prev.filter((p) => p.id !== removing.id));
    removeStepUp.reset();
    setRemoving(null);
    notifySuccess(t('account.passkeys.removed'));
  });

  return (
    <Section title={t('account.passkeys.title')} description={t('account.passkeys.description')}>
      <Stack>
        <ListTable
          list={passkeys}
          rows={passkeys.data}
          empty={{
            title: t('account.passkeys.emptyTitle'),
            description: t('account.passkeys.emptyDescription'),
          }}
          minWidth={480}
          headers={[t('account.passkeys.name'), t('common.created'), t('common.lastUsed')]}
          cells={(p) => (
            <>
              <Table.Td>{p.name}</Table.Td>
              <Table.Td>{fmt.dateTime(p.createdAt)}</Table.Td>
              <Table.Td>{fmt.dateTime(p.lastUsedAt, t('common.never'))}</Table.Td>
              <Table.Td>
                <RowButton
                  danger
                  onClick={() => setRemoving(p)}
                  aria-label={t('account.passkeys.removeNamed', { name: p.name })}
                >
                  {t('account.passkeys.remove')}
                </RowButton>
              </Table.Td>
            </>
          )}
        />
        {removing ? (
          <SectionForm
            submit={remove}
            submitLabel={t('account.passkeys.remove')}
            maw={420}
            onCancel={() => {
              removeStepUp.reset();
              setRemoving(null);
            }}
            intro={<Text size="sm">{t('account.passkeys.removeConfirm', { name: removing.name })}</Text>}
          >
            <StepUpFields stepUp={removeStepUp} errors={remove.fieldErrors} />
          </SectionForm>
        ) : null}
        {supported ? (
          <form onSubmit={add.onSubmit} noValidate>
            <Stack maw={420} gap="xs">
              <FormError message={add.error} />
              <Group align="flex-end" wrap="nowrap">
                <TextInput
                  label={t('account.passkeys.newName')}
                  placeholder={t('account.passkeys.namePlaceholder')}
                  value={name}
                  onChange={(e) => setName(e.currentTarget.value)}
                  error={add.fieldErrors.name}
                  style={{ flex: 1 }}
                />
              </Group>
              <StepUpFields stepUp={stepUp} errors={add.fieldErrors} />
              <Group>
                <Button type="submit" loading={add.submitting}>
                  {t('account.passkeys.add')}
                </Button>
              </Group>
            </Stack>
          </form>
        ) : (
          <Alert color="gray">
            <Text size="sm">{t('account.passkeys.unsupported')}</Text>
          </Alert>
        )}
      </Stack>
    </Section>
  );
}
