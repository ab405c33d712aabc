import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  constantTimeEqual,
  DecryptionError,
  decrypt,
  decryptString,
  encrypt,
  generateKey,
  isSealedWithCurrentKey,
  KeyringError,
  keyIdOf,
  loadKeyring,
  randomToken,
  sha256Hex,
} from '../../src/core/crypto/index.ts';

const AD = 'identity.users.totp_secret:0b7f3c1e';
const tempDirs: string[] = [];

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'attest-crypto-'));
  tempDirs.push(dir);
  return dir;
}

function keyringWith(secretKey: string, previousKeys?: string[]) {
  return loadKeyring({ secretKey, previousKeys, dataDir: '/nonexistent-unused' });
}

/** Flips the low bit of one byte of the decoded IV or body and re-encodes the sealed value. */
function tamper(sealed: string, part: 'iv' | 'body', index: number): string {
  const [version, keyId, iv, body] = sealed.split('.') as [string, string, string, string];
  const bytes = Buffer.from(part === 'iv' ? iv : body, 'base64url');
  bytes[index] = (bytes[index] ?? 0) ^ 0x01;
  const encoded = bytes.toString('base64url');
  return [version, keyId, part === 'iv' ? encoded : iv, part === 'body' ? encoded : body].join('.');
}

function decryptionReason(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(DecryptionError);
    return (error as DecryptionError).reason;
  }
  return undefined;
}

afterEach(() => {
  for (const dir of tempDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('tokens', () => {
  it('randomToken is base64url of the requested entropy and unique', () => {
    const token = randomToken();
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(token, 'base64url')).toHaveLength(32);
    expect(randomToken(16)).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(randomToken()).not.toBe(token);
    expect(() => randomToken(0)).toThrow(RangeError);
    expect(() => randomToken(1.5)).toThrow(RangeError);
  });

  it('sha256Hex matches the FIPS 180-2 known answer for "abc"', () => {
    const expected = 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad';
    expect(sha256Hex('abc')).toBe(expected);
    expect(sha256Hex(Buffer.from('abc'))).toBe(expected);
  });

  it('constantTimeEqual compares content and tolerates length mismatch', () => {
    expect(constantTimeEqual('s3cret-token', 's3cret-token')).toBe(true);
    expect(constantTimeEqual('s3cret-token', 's3cret-tokeN')).toBe(false);
    expect(constantTimeEqual('short', 'longer value')).toBe(false);
    expect(constantTimeEqual('', '')).toBe(true);
    // Same character count, different UTF-8 byte length: must not throw.
    expect(constantTimeEqual('é', 'e')).toBe(false);
  });
});

describe('encryption', () => {
  const keyring = keyringWith(generateKey());

  it('round-trips strings and buffers', () => {
    const sealed = encrypt(keyring, 'JBSWY3DPEHPK3PXP', AD);
    expect(sealed).toMatch(/^v1\.[0-9a-f]{8}\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]+$/);
    expect(keyIdOf(sealed)).toBe(keyring.current.id);
    expect(decryptString(keyring, sealed, AD)).toBe('JBSWY3DPEHPK3PXP');

    const binary = Buffer.from([0, 255, 1, 254]);
    expect(decrypt(keyring, encrypt(keyring, binary, AD), AD)).toEqual(binary);
    expect(decryptString(keyring, encrypt(keyring, '', AD), AD)).toBe('');
    expect(decryptString(keyring, encrypt(keyring, 'ünïcødé ✓', AD), AD)).toBe('ünïcødé ✓');
  });

  it('uses a fresh IV each time', () => {
    expect(encrypt(keyring, 'same', AD)).not.toBe(encrypt(keyring, 'same', AD));
  });

  it('rejects a change to any byte of the IV, ciphertext or tag', () => {
    const sealed = encrypt(keyring, 'sixteen byte msg', AD);
    for (let i = 0; i < 12; i++) {
      expect(decryptionReason(() => decrypt(keyring, tamper(sealed, 'iv', i), AD))).toBe(
        'authentication-failed',
      );
    }
    // 16 bytes of ciphertext followed by the 16-byte tag.
    for (let i = 0; i < 32; i++) {
      expect(decryptionReason(() => decrypt(keyring, tamper(sealed, 'body', i), AD))).toBe(
        'authentication-failed',
      );
    }
  });

  it('rejects wrong associated data (value moved to another row)', () => {
    const sealed = encrypt(keyring, 'secret', AD);
    expect(decryptionReason(() => decrypt(keyring, sealed, 'identity.users.totp_secret:other'))).toBe(
      'authentication-failed',
    );
  });

  it('rejects malformed values and non-canonical encodings', () => {
    const sealed = encrypt(keyring, 'secret', AD);
    const [, keyId, iv, body] = sealed.split('.') as [string, string, string, string];
    const cases = [
      '',
      'garbage',
      `v2.${keyId}.${iv}.${body}`,
      `v1.${keyId}.${iv}`,
      `v1.${keyId}.${iv}.${body}.extra`,
      `v1.XYZ.${iv}.${body}`,
      `v1.${keyId}.${iv}A.${body}`,
      `v1.${keyId}.${iv}.${body.slice(0, 10)}`,
      `v1.${keyId}.${iv}.${body}=`,
      `v1.${keyId}.${iv}.${body}!`,
    ];
    for (const value of cases) {
      expect(
        decryptionReason(() => decrypt(keyring, value, AD)),
        value,
      ).toBe('malformed');
    }
    expect(() => keyIdOf('garbage')).toThrow(DecryptionError);
  });

  it('rejects an unknown key id without revealing key material', () => {
    const other = keyringWith(generateKey());
    const sealed = encrypt(other, 'secret', AD);
    try {
      decrypt(keyring, sealed, AD);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(DecryptionError);
      expect((error as DecryptionError).reason).toBe('unknown-key');
      expect((error as Error).message).toContain(other.current.id);
      expect((error as Error).message).not.toContain(other.current.key.toString('base64'));
    }
  });

  it('requires associated data', () => {
    expect(() => encrypt(keyring, 'secret', '')).toThrow(TypeError);
  });

  it('reports binary plaintext read as a string', () => {
    const sealed = encrypt(keyring, Buffer.from([0xff, 0xfe]), AD);
    expect(decryptionReason(() => decryptString(keyring, sealed, AD))).toBe('invalid-utf8');
  });
});

describe('key rotation', () => {
  it('decrypts with a previous key and flags values for re-encryption', () => {
    const oldKey = generateKey();
    const newKey = generateKey();
    const before = keyringWith(oldKey);
    const sealed = encrypt(before, 'secret', AD);

    const after = keyringWith(newKey, [oldKey]);
    expect(after.current.id).not.toBe(before.current.id);
    expect(after.keys.size).toBe(2);
    expect(keyIdOf(sealed)).toBe(before.current.id);
    expect(isSealedWithCurrentKey(after, sealed)).toBe(false);
    expect(decryptString(after, sealed, AD)).toBe('secret');

    const resealed = encrypt(after, decrypt(after, sealed, AD), AD);
    expect(isSealedWithCurrentKey(after, resealed)).toBe(true);
    expect(decryptString(after, resealed, AD)).toBe('secret');
    // The old keyring alone can no longer read the rotated value.
    expect(decryptionReason(() => decrypt(before, resealed, AD))).toBe('unknown-key');
  });
});

describe('loadKeyring', () => {
  it('derives the key id from SHA-256 of the raw key and accepts url-safe base64', () => {
    const raw = Buffer.alloc(32, 0xfb);
    const expectedId = sha256Hex(raw).slice(0, 8);
    expect(keyringWith(raw.toString('base64')).current.id).toBe(expectedId);
    expect(keyringWith(raw.toString('base64url')).current.id).toBe(expectedId);
    expect(keyringWith(`${raw.toString('base64')}\n`).current.id).toBe(expectedId);
  });

  it('generates a 0600 key file once and reuses it', () => {
    const dataDir = join(tempDir(), 'nested', 'data');
    const generated: string[] = [];
    const first = loadKeyring({ dataDir, onGenerated: (path) => generated.push(path) });
    const keyPath = join(dataDir, 'secret.key');

    expect(generated).toEqual([keyPath]);
    expect(Buffer.from(readFileSync(keyPath, 'utf8').trim(), 'base64')).toEqual(first.current.key);
    if (process.platform !== 'win32') expect(statSync(keyPath).mode & 0o777).toBe(0o600);

    const second = loadKeyring({ dataDir, onGenerated: (path) => generated.push(path) });
    expect(generated).toHaveLength(1);
    expect(second.current).toEqual(first.current);
  });

  it('prefers the configured key over the key file', () => {
    const dataDir = tempDir();
    const key = generateKey();
    const keyring = loadKeyring({ secretKey: key, dataDir, onGenerated: () => expect.unreachable() });
    expect(keyring.current.key.toString('base64')).toBe(key);
  });

  it('explains bad key lengths', () => {
    const short = Buffer.alloc(16).toString('base64');
    expect(() => keyringWith(short)).toThrow(KeyringError);
    expect(() => keyringWith(short)).toThrow(
      'ATTEST_SECRET_KEY must be 32 bytes encoded in base64 (got 16 bytes)',
    );
    expect(() => keyringWith('not base64 at all!')).toThrow(/ATTEST_SECRET_KEY must be 32 bytes/);
    expect(() => keyringWith(generateKey(), [Buffer.alloc(33).toString('base64')])).toThrow(
      'ATTEST_PREVIOUS_SECRET_KEYS entry #1 must be 32 bytes encoded in base64 (got 33 bytes)',
    );
  });

  it('names the key file when it is invalid', () => {
    const dataDir = tempDir();
    const keyPath = join(dataDir, 'secret.key');
    writeFileSync(keyPath, Buffer.alloc(8).toString('base64'));
    expect(() => loadKeyring({ dataDir })).toThrow(
      `key file ${keyPath} must be 32 bytes encoded in base64 (got 8 bytes)`,
    );
  });
});
