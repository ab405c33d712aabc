import {
  Alert,
  Badge,
  Button,
  Code,
  CopyButton,
  Group,
  Modal,
  NumberInput,
  Stack,
  Table,
  Text,
  TextInput,
} from '@mantine/core';
import { useCallback, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type ApiToken, api, type CreatedApiToken, type Role } from '../api';
import { ListTable } from '../components/ListTable';
import { PageHeader } from '../components/PageHeader';
import { RoleSelect } from '../components/RoleSelect';
import { RowButton } from '../components/RowButton';
import { SearchBar } from '../components/SearchBar';
import { Section } from '../components/Section';
import { SectionForm } from '../components/SubmitForm';
import { useConfirmedAction } from '../components/useConfirm';
import { FieldErrors, notifySuccess } from '../lib/errors';
import { useFormat } from '../lib/format';
import { matches, needleOf } from '../lib/search';
import { useCursorList, withAdded } from '../lib/useCursorList';
import { useSubmit } from '../lib/useSubmit';
import { useUserNames } from '../lib/useUserNames';

const PAGE_SIZE = 25;
const MAX_DAYS = 365;

type TokenState = 'active' | 'expired' | 'revoked';

function tokenState(token: ApiToken): TokenState {
  if (token.revokedAt) return 'revoked';
  if (token.expiresAt && new Date(token.expiresAt).getTime() < Date.now()) return 'expired';
  return 'active';
}

const STATE_COLOR: Record<TokenState, string> = { active: 'green', expired: 'gray', revoked: 'red' };

function CreateTokenForm({ onCreated }: { onCreated: (token: CreatedApiToken) => void }) {
  const { t } = useTranslation();
  const [name, setName] = useState('');
  const [role, setRole] = useState<Role>('auditor');
  const [days, setDays] = useState<number | string>(90);

  const submit = useSubmit(async () => {
    const fields: Record<string, string> = {};
    if (!name.trim()) fields.name = t('validation.required');
    const expiresInDays = typeof days === 'number' ? days : Number.parseInt(days, 10);
    if (!Number.isInteger(expiresInDays) || expiresInDays < 1 || expiresInDays > MAX_DAYS) {
      fields.expiresInDays = t('validation.range', { min: 1, max: MAX_DAYS });
    }
    if (Object.keys(fields).length > 0) throw new FieldErrors(fields);
    const created = await api.createToken({ name: name.trim(), role, expiresInDays });
    setName('');
    onCreated(created);
  });

  return (
    <Section title={t('tokens.formTitle')} description={t('tokens.formDescription')}>
      <SectionForm submit={submit} submitLabel={t('tokens.create')} maw={520}>
        <TextInput
          label={t('tokens.name')}
          placeholder={t('tokens.namePlaceholder')}
          required
          withAsterisk={false}
          value={name}
          onChange={(e) => setName(e.currentTarget.value)}
          error={submit.fieldErrors.name}
        />
        <RoleSelect value={role} onChange={setRole} error={submit.fieldErrors.role} />
        <NumberInput
          label={t('tokens.expiresInDays')}
          min={1}
          max={MAX_DAYS}
          allowDecimal={false}
          allowNegative={false}
          value={days}
          onChange={setDays}
          error={submit.fieldErrors.expiresInDays}
          w={200}
        />
      </SectionForm>
    </Section>
  );
}

function NewTokenModal({ token, onClose }: { token: CreatedApiToken | null; onClose: () => void }) {
  const { t } = useTranslation();
  return (
    <Modal opened={token !== null} onClose={onClose} title={t('tokens.createdTitle')} size="lg" centered>
      {token ? (
        <Stack>
          <Alert color="yellow">{t('tokens.showOnce')}</Alert>
          <Text size="sm" id="new-token-label">
            {t('tokens.createdFor', { name: token.name })}
          </Text>
          <Code
            block
            data-testid="api-token"
            aria-labelledby="new-token-label"
            style={{ wordBreak: 'break-all' }}
          >
            {token.token}
          </Code>
          <Group justify="space-between">
            <CopyButton value={token.token}>
              {({ copied, copy }) => (
                <Button variant="light" onClick={copy}>
                  {copied ? t('common.copied') : t('tokens.copy')}
                </Button>
              )}
            </CopyButton>
            <Button onClick={onClose}>{t('common.done')}</Button>
          </Group>
        </Stack>
      ) : null}
    </Modal>
  );
}

export function TokensPage() {
  const { t } = useTranslation();
  const fmt = useFormat();
  const [dialog, confirmThen] = useConfirmedAction();
  const [created, setCreated] = useState<CreatedApiToken | null>(null);
  const [added, setAdded] = useState<ApiToken[]>([]);
  const [search, setSearch] = useState('');
  const userName = useUserNames();

  const fetchPage = useCallback((cursor: string | null) => api.tokens({ limit: PAGE_SIZE, cursor }), []);
  const list = useCursorList(fetchPage);

  const all = useMemo(() => withAdded(added, list.items), [added, list.items]);
  const needle = needleOf(search);
  const visible = all.filter((tk) => matches(needle, tk.name, tk.prefix));

  const onCreated = (token: CreatedApiToken) => {
    const { token: _secret, ...rest } = token;
    setAdded((prev) => [rest, ...prev]);
    setCreated(token);
  };

  const revoke = (token: ApiToken) =>
    confirmThen(
      {
        title: t('tokens.revokeTitle'),
        message: t('tokens.revokeConfirm', { name: token.name }),
        confirmLabel: t('tokens.revoke'),
        danger: true,
      },
      async () => {
        await api.revokeToken(token.id);
        const now = new Date().toISOString();
        const mark = (x: ApiToken) => ({ ...x, revokedAt: x.revokedAt ?? now });
        list.update(token.id, mark);
        setAdded((prev) => prev.map((x) => (x.id === token.id ? mark(x) : x)));
        notifySuccess(t('tokens.revoked', { name: token.name }));
      },
    );

  return (
    <>
      {dialog}
      <NewTokenModal token={created} onClose={() => setCreated(null)} />
      <PageHeader title={t('tokens.title')} description={t('tokens.description')} />
      <Stack gap="lg">
        <CreateTokenForm onCreated={onCreated} />
        <Section title={t('tokens.listTitle')}>
          <Stack>
            <SearchBar
              region={t('tokens.searchRegion')}
              label={t('tokens.search')}
              placeholder={t('tokens.searchPlaceholder')}
              value={search}
              onChange={setSearch}
              width={280}
            />
            <ListTable
              list={list}
              rows={visible}
              empty={{ title: t('tokens.emptyTitle'), description: t('tokens.emptyDescription') }}
              noMatch={
                needle !== '' && {
                  title: t('tokens.noMatchTitle'),
                  description: t('tokens.noMatchDescription'),
                }
              }
              minWidth={900}
              striped
              headers={[
                t('tokens.name'),
                t('tokens.prefix'),
                t('users.role'),
                t('common.status'),
                t('common.created'),
                t('tokens.expires'),
                t('common.lastUsed'),
              ]}
              cells={(tk) => {
                const state = tokenState(tk);
                return (
                  <>
                    <Table.Td>
                      <Text size="sm" fw={500}>
                        {tk.name}
                      </Text>
                      {tk.createdBy ? (
                        <Text size="xs" c="dimmed">
                          {t('tokens.createdBy', { name: userName(tk.createdBy) })}
                        </Text>
                      ) : null}
                    </Table.Td>
                    <Table.Td>
                      <Code>{tk.prefix}</Code>
                    </Table.Td>
                    <Table.Td>{t(`roles.${tk.role}`)}</Table.Td>
                    <Table.Td>
                      <Badge color={STATE_COLOR[state]} variant="light">
                        {t(`tokens.state.${state}`)}
                      </Badge>
                    </Table.Td>
                    <Table.Td>{fmt.date(tk.createdAt)}</Table.Td>
                    <Table.Td>{fmt.date(tk.expiresAt, t('tokens.noExpiry'))}</Table.Td>
                    <Table.Td>{fmt.dateTime(tk.lastUsedAt, t('common.never'))}</Table.Td>
                    <Table.Td>
                      {state === 'active' ? (
                        <RowButton
                          danger
                          onClick={() => void revoke(tk)}
                          aria-label={t('tokens.revokeNamed', { name: tk.name })}
                        >
                          {t('tokens.revoke')}
                        </RowButton>
                      ) : null}
                    </Table.Td>
                  </>
                );
              }}
            />
          </Stack>
        </Section>
      </Stack>
    </>
  );
}
