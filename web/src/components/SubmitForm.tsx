import { Button, Group, Stack } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { SubmitState } from '../lib/useSubmit';
import { FormError } from './FormError';

interface FormProps {
  /** The useSubmit state that handles the form. */
  submit: SubmitState;
  submitLabel: string;
  /** What comes before the form's error message: an introduction, or what the fields refer to. */
  intro?: ReactNode;
  /** The form-level message, when it is not just the submit's own. */
  error?: string | null;
  maw?: number;
  children: ReactNode;
}

function FormFrame({
  submit,
  intro,
  error,
  maw,
  children,
  buttons,
}: Omit<FormProps, 'submitLabel'> & { buttons: ReactNode }) {
  return (
    <form onSubmit={submit.onSubmit} noValidate>
      <Stack maw={maw}>
        {intro}
        <FormError message={error === undefined ? submit.error : error} />
        {children}
        {buttons}
      </Stack>
    </form>
  );
}

/** A form of the signed-out screens: the submit button spans the card; `footer` goes below it. */
export function AuthForm({ submitLabel, footer, ...props }: FormProps & { footer?: ReactNode }) {
  return (
    <FormFrame
      {...props}
      buttons={
        <>
          <Button type="submit" loading={props.submit.submitting}>
            {submitLabel}
          </Button>
          {footer}
        </>
      }
    />
  );
}

/** A form inside a section: the submit button, and a cancel button when `onCancel` is given, in a row. */
export function SectionForm({ submitLabel, onCancel, ...props }: FormProps & { onCancel?: () => void }) {
  const { t } = useTranslation();
  return (
    <FormFrame
      {...props}
      buttons={
        <Group>
          <Button type="submit" loading={props.submit.submitting}>
            {submitLabel}
          </Button>
          {onCancel ? (
            <Button variant="default" onClick={onCancel}>
              {t('common.cancel')}
            </Button>
          ) : null}
        </Group>
      }
    />
  );
}
