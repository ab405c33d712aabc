import { Alert, Button, Card, Group, List, Stack, Text } from '@mantine/core';
import { useCallback, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type Locale, ProblemError } from '../../api';
import { type ProgramDraft, type ProgramSource, programApi } from '../../api-disclosure-program';
import { errorMessage, notifySuccess } from '../../lib/errors';
import { LocaleSwitch } from '../trust/shared';
import {
  type EditSource,
  ProgramGeneralFields,
  ProgramSecurityTxtFields,
  ProgramTextFields,
  ProgramTimingFields,
} from './ProgramFields';
import {
  ProgramAssetsList,
  ProgramCategoriesList,
  ProgramContactsList,
  ProgramLinesList,
} from './ProgramLists';

/** What the server refused: each field's JSON pointer with the reason, or one message. */
type SaveError = { message: string; fields: { pointer: string; detail: string }[] };

/**
 * The program editor: every part of the source, with one language switch for all the texts. Those who may
 * only read (auditors) see the same fields read-only and no save button.
 */
export function ProgramEditor({
  draft,
  readOnly,
  onSaved,
  onDirtyChange,
}: {
  draft: ProgramDraft;
  readOnly: boolean;
  onSaved: (draft: ProgramDraft) => void;
  onDirtyChange: (dirty: boolean) => void;
}) {
  const { t } = useTranslation('vdpProgram');
  const { t: tc } = useTranslation();
  const [source, setSource] = useState<ProgramSource>(draft.source);
  const [locale, setLocale] = useState<Locale>(draft.source.defaultLocale);
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<SaveError | null>(null);

  const edit: EditSource = useCallback(
    (change) => {
      setSource((previous) => {
        const next = structuredClone(previous);
        change(next);
        return next;
      });
      onDirtyChange(true);
    },
    [onDirtyChange],
  );

  const save = async () => {
    setSaving(true);
    setError(null);
    try {
      const saved = await programApi.saveDraft(source);
      setSource(saved.source);
      onSaved(saved);
      onDirtyChange(false);
      notifySuccess(t('editor.saved'));
    } catch (err) {
      const fields = err instanceof ProblemError ? err.errors : [];
      setError({ message: errorMessage(err, tc), fields });
    } finally {
      setSaving(false);
    }
  };

  const discard = () => {
    setSource(draft.source);
    setError(null);
    onDirtyChange(false);
  };

  const props = { source, edit, locale, readOnly };
  return (
    <Stack gap="lg">
      <Card withBorder padding="sm">
        <LocaleSwitch value={locale} onChange={setLocale} label={t('editor.editLanguage')} />
      </Card>
      <ProgramGeneralFields {...props} />
      <ProgramTextFields {...props} />
      <ProgramAssetsList {...props} />
      <ProgramCategoriesList {...props} />
      <ProgramLinesList {...props} list="rulesOfEngagement" />
      <ProgramLinesList {...props} list="promises" />
      <ProgramContactsList {...props} />
      <ProgramTimingFields {...props} />
      <ProgramSecurityTxtFields {...props} />
      {error ? (
        <Alert color="red" title={t('editor.errorsTitle')} role="alert">
          {error.fields.length > 0 ? (
            <List size="sm">
              {error.fields.map((field) => (
                <List.Item key={`${field.pointer}:${field.detail}`}>
                  <Text span ff="monospace" size="sm">
                    {field.pointer}
                  </Text>
                  : {field.detail}
                </List.Item>
              ))}
            </List>
          ) : (
            error.message
          )}
        </Alert>
      ) : null}
      {readOnly ? null : (
        <Card withBorder padding="sm" pos="sticky" bottom={0} style={{ zIndex: 2 }}>
          <Group>
            <Button onClick={() => void save()} loading={saving}>
              {t('editor.save')}
            </Button>
            <Button variant="default" onClick={discard} disabled={saving}>
              {t('editor.reset')}
            </Button>
          </Group>
        </Card>
      )}
    </Stack>
  );
}
