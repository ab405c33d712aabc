import { type FormEvent, useCallback, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ProblemError } from '../api';
import { errorMessage, FieldErrors } from './errors';

export interface SubmitState {
  submitting: boolean;
  /** Message for the whole form (shown in an alert). */
  error: string | null;
  /** Messages for individual fields, keyed by field name. */
  fieldErrors: Record<string, string>;
  onSubmit: (event?: FormEvent) => void;
  clearFieldError: (field: string) => void;
  reset: () => void;
}

/**
 * Wraps a form submit handler: prevents the default submit, tracks the pending state and maps problem
 * details (and client-side FieldErrors) onto a form-level message and per-field messages.
 */
export function useSubmit(action: () => Promise<void>): SubmitState {
  const { t } = useTranslation();
  const [submitting, setSubmitting] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});

  const onSubmit = useCallback(
    (event?: FormEvent) => {
      event?.preventDefault();
      if (submitting) return;
      setError(null);
      setFieldErrors({});
      setSubmitting(true);
      action()
        .catch((err: unknown) => {
          if (err instanceof FieldErrors) {
            setFieldErrors(err.fields);
            return;
          }
          if (err instanceof ProblemError) setFieldErrors(err.fieldErrors());
          setError(errorMessage(err, t));
        })
        .finally(() => setSubmitting(false));
    },
    [action, submitting, t],
  );

  const clearFieldError = useCallback((field: string) => {
    setFieldErrors((prev) => {
      if (!(field in prev)) return prev;
      const next = { ...prev };
      delete next[field];
      return next;
    });
  }, []);

  const reset = useCallback(() => {
    setError(null);
    setFieldErrors({});
  }, []);

  return { submitting, error, fieldErrors, onSubmit, clearFieldError, reset };
}
