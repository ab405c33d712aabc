import { Button, Group, Stack, Text } from '@mantine/core';
import {
  type AuthenticationResponseJSON,
  browserSupportsWebAuthn,
  startAuthentication,
} from '@simplewebauthn/browser';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, type StepUpProof } from '../api';
import { errorMessage, FieldErrors } from '../lib/errors';
import { CodeField } from './CodeField';
import { PasswordField } from './PasswordField';

/**
 * The state of "confirm it's you" before a second factor changes: the password, and a current code
 * (authenticator or recovery code) or a passkey. The server decides whether a factor is needed.
 */
export function useStepUp() {
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');
  const [passkey, setPasskey] = useState<AuthenticationResponseJSON | null>(null);
  return {
    password,
    setPassword,
    code,
    setCode,
    passkey,
    setPasskey,
    /** Throws field errors for the form when the password is missing; otherwise the proof to send. */
    proof(required: string): StepUpProof {
      if (!password) throw new FieldErrors({ password: required });
      const currentCode = code.trim();
      if (passkey) return { password, currentPasskey: passkey };
      return currentCode ? { password, currentCode } : { password };
    },
    reset() {
      setPassword('');
      setCode('');
      setPasskey(null);
    },
  };
}

export type StepUp = ReturnType<typeof useStepUp>;

export function StepUpFields({
  stepUp,
  errors,
}: {
  stepUp: StepUp;
  errors: Record<string, string | undefined>;
}) {
  const { t } = useTranslation();
  const [passkeyError, setPasskeyError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const confirmWithPasskey = async () => {
    setPasskeyError(null);
    setBusy(true);
    try {
      const optionsJSON = await api.stepUpPasskeyOptions();
      stepUp.setPasskey(await startAuthentication({ optionsJSON }));
    } catch (err) {
      setPasskeyError(errorMessage(err, t));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Stack gap="sm">
      <Text size="sm">{t('stepUp.intro')}</Text>
      <PasswordField
        label={t('fields.confirmWithPassword')}
        value={stepUp.password}
        onChange={(e) => stepUp.setPassword(e.currentTarget.value)}
        error={errors.password}
      />
      {stepUp.passkey ? (
        <Text size="sm" c="green" role="status">
          {t('stepUp.passkeyReady')}
        </Text>
      ) : (
        <CodeField
          numeric={false}
          required={false}
          label={t('stepUp.currentCode')}
          description={t('stepUp.currentCodeHint')}
          value={stepUp.code}
          onChange={(e) => stepUp.setCode(e.currentTarget.value)}
          error={errors.currentCode}
        />
      )}
      {browserSupportsWebAuthn() && !stepUp.passkey ? (
        <Group>
          <Button variant="subtle" size="compact-sm" loading={busy} onClick={() => void confirmWithPasskey()}>
            {t('stepUp.usePasskey')}
          </Button>
          {passkeyError ? (
            <Text size="sm" c="red" role="alert">
              {passkeyError}
            </Text>
          ) : null}
        </Group>
      ) : null}
    </Stack>
  );
}
