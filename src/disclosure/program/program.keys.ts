import { randomUUID } from 'node:crypto';
import { and, desc, eq, gt, isNull, or } from 'drizzle-orm';
import * as openpgp from 'openpgp';
import { recordAudit } from '../../audit/index.ts';
import type { AppContext } from '../../core/context.ts';
import { decryptString, encrypt } from '../../core/crypto/index.ts';
import type { Actor } from '../../core/http/actor.ts';
import { disclosurePgpKeys } from '../tables.ts';
import { programProblems } from './program.problems.ts';

/**
 * The program's OpenPGP keys: researchers encrypt reports to the active key, and security.txt is
 * signed with it. Private keys are stored unprotected by a passphrase but sealed with the keyring
 * (AAD `disclosure-pgp-key:<id>`), so a database dump alone does not reveal them.
 */

export type ProgramKeyView = {
  id: string;
  fingerprint: string;
  userIds: string[];
  algorithm: string;
  expiresAt: Date | null;
  active: boolean;
  createdAt: Date;
};

export type ActiveProgramKey = {
  id: string;
  fingerprint: string;
  publicKey: string;
  privateKey: openpgp.PrivateKey;
};

const aadOf = (id: string) => `disclosure-pgp-key:${id}`;

const keyListeners = new Set<(ctx: AppContext) => void>();

/** Calls `listener` after a key is added or deactivated in this process (security.txt caches use it). */
export function onProgramKeysChanged(listener: (ctx: AppContext) => void): () => void {
  keyListeners.add(listener);
  return () => keyListeners.delete(listener);
}

function keysChanged(ctx: AppContext): void {
  for (const listener of keyListeners) listener(ctx);
}

/** Decrypted keys by row id: reading an armored key costs milliseconds, signing happens often. */
const unsealed = new WeakMap<AppContext, Map<string, openpgp.PrivateKey>>();

function algorithmOf(key: openpgp.Key): string {
  const info = key.getAlgorithmInfo();
  return 'curve' in info && info.curve ? `${info.algorithm} (${info.curve})` : String(info.algorithm);
}

async function expiryOf(key: openpgp.Key): Promise<Date | null> {
  const expires = await key.getExpirationTime();
  return expires instanceof Date ? expires : null;
}

function toView(row: typeof disclosurePgpKeys.$inferSelect, algorithm: string): ProgramKeyView {
  return {
    id: row.id,
    fingerprint: row.fingerprint,
    userIds: row.userIds,
    algorithm,
    expiresAt: row.expiresAt,
    active: row.active,
    createdAt: row.createdAt,
  };
}

/** Stores a decrypted private key (sealed) and audits how it came. 409 when the fingerprint exists. */
async function storeKey(
  ctx: AppContext,
  actor: Actor,
  privateKey: openpgp.PrivateKey,
  action: 'disclosure.pgp-key.generated' | 'disclosure.pgp-key.imported',
): Promise<ProgramKeyView> {
  const id = randomUUID();
  const fingerprint = privateKey.getFingerprint().toUpperCase();
  const expiresAt = await expiryOf(privateKey);
  const values = {
    id,
    fingerprint,
    publicKey: privateKey.toPublic().armor(),
    privateKeySealed: encrypt(ctx.keyring, privateKey.armor(), aadOf(id)),
    userIds: privateKey.getUserIDs(),
    expiresAt,
  };
  const row = await ctx.database.db.transaction(async (tx) => {
    const [inserted] = await tx.insert(disclosurePgpKeys).values(values).onConflictDoNothing().returning();
    if (!inserted) throw programProblems.keyExists(fingerprint);
    const details = { fingerprint, userIds: values.userIds, expiresAt: expiresAt?.toISOString() ?? null };
    if (action === 'disclosure.pgp-key.generated') {
      await recordAudit(tx, actor, {
        action: 'disclosure.pgp-key.generated',
        targetType: 'disclosure_pgp_key',
        targetId: id,
        details,
      });
    } else {
      await recordAudit(tx, actor, {
        action: 'disclosure.pgp-key.imported',
        targetType: 'disclosure_pgp_key',
        targetId: id,
        details,
      });
    }
    return inserted;
  });
  keysChanged(ctx);
  return toView(row, algorithmOf(privateKey));
}

/**
 * Generates an ECC Curve25519 key (EdDSA primary for signing, ECDH subkey for encryption; OpenPGP v4,
 * which GnuPG 2.2 and every mail client read) for `name <email>`, expiring after `expiresInDays`
 * (never with null).
 */
export async function generateProgramKey(
  ctx: AppContext,
  actor: Actor,
  options: { name: string; email: string; expiresInDays: number | null },
): Promise<ProgramKeyView> {
  const { privateKey } = await openpgp.generateKey({
    type: 'ecc',
    curve: 'curve25519Legacy',
    userIDs: [{ name: options.name, email: options.email }],
    keyExpirationTime: options.expiresInDays ? options.expiresInDays * 86_400 : 0,
    format: 'object',
  });
  return storeKey(ctx, actor, privateKey, 'disclosure.pgp-key.generated');
}

/**
 * Imports an armored private key, decrypting it with `passphrase` when it is protected. It must be
 * able to sign (security.txt) and to decrypt (reports), and not be expired or revoked: else 422.
 */
export async function importProgramKey(
  ctx: AppContext,
  actor: Actor,
  options: { armoredKey: string; passphrase?: string },
): Promise<ProgramKeyView> {
  let key: openpgp.PrivateKey;
  try {
    key = await openpgp.readPrivateKey({ armoredKey: options.armoredKey });
  } catch {
    throw programProblems.unusableKey(
      'an armored OpenPGP private key (-----BEGIN PGP PRIVATE KEY BLOCK-----)',
    );
  }
  if (!key.isDecrypted()) {
    if (!options.passphrase)
      throw programProblems.unusableKey('the key is protected: give its passphrase', '/passphrase');
    try {
      key = await openpgp.decryptKey({ privateKey: key, passphrase: options.passphrase });
    } catch {
      throw programProblems.unusableKey('the passphrase does not decrypt the key', '/passphrase');
    }
  }
  try {
    await key.getSigningKey();
    await key.getDecryptionKeys();
    await key.getEncryptionKey();
  } catch {
    throw programProblems.unusableKey(
      'the key must be able to sign and to encrypt, and be neither expired nor revoked',
    );
  }
  return storeKey(ctx, actor, key, 'disclosure.pgp-key.imported');
}

export async function listProgramKeys(ctx: AppContext): Promise<ProgramKeyView[]> {
  const rows = await ctx.database.db
    .select()
    .from(disclosurePgpKeys)
    .orderBy(desc(disclosurePgpKeys.createdAt));
  return Promise.all(
    rows.map(async (row) => {
      const key = await openpgp.readKey({ armoredKey: row.publicKey });
      return toView(row, algorithmOf(key));
    }),
  );
}

/** Takes a key out of use (it stays listed, so old reports encrypted to it can be traced). 404 when unknown. */
export async function deactivateProgramKey(ctx: AppContext, actor: Actor, id: string): Promise<void> {
  await ctx.database.db.transaction(async (tx) => {
    const [row] = await tx
      .update(disclosurePgpKeys)
      .set({ active: false })
      .where(eq(disclosurePgpKeys.id, id))
      .returning({ fingerprint: disclosurePgpKeys.fingerprint });
    if (!row) throw programProblems.keyNotFound(id);
    await recordAudit(tx, actor, {
      action: 'disclosure.pgp-key.deactivated',
      targetType: 'disclosure_pgp_key',
      targetId: id,
      details: { fingerprint: row.fingerprint },
    });
  });
  unsealed.get(ctx)?.delete(id);
  keysChanged(ctx);
}

/** Active keys that have not expired, newest first, decrypted: all of them can open reports. */
export async function getActiveProgramKeys(ctx: AppContext): Promise<ActiveProgramKey[]> {
  const rows = await ctx.database.db
    .select()
    .from(disclosurePgpKeys)
    .where(
      and(
        eq(disclosurePgpKeys.active, true),
        or(isNull(disclosurePgpKeys.expiresAt), gt(disclosurePgpKeys.expiresAt, new Date())),
      ),
    )
    .orderBy(desc(disclosurePgpKeys.createdAt));
  let cache = unsealed.get(ctx);
  if (!cache) {
    cache = new Map();
    unsealed.set(ctx, cache);
  }
  const keys: ActiveProgramKey[] = [];
  for (const row of rows) {
    let privateKey = cache.get(row.id);
    if (!privateKey) {
      const armored = decryptString(ctx.keyring, row.privateKeySealed, aadOf(row.id));
      privateKey = await openpgp.readPrivateKey({ armoredKey: armored });
      cache.set(row.id, privateKey);
    }
    keys.push({ id: row.id, fingerprint: row.fingerprint, publicKey: row.publicKey, privateKey });
  }
  return keys;
}

/**
 * The key researchers should encrypt to and security.txt is signed with: the newest active key that
 * has not expired, or undefined when there is none.
 */
export async function getActiveProgramKey(ctx: AppContext): Promise<ActiveProgramKey | undefined> {
  return (await getActiveProgramKeys(ctx))[0];
}
