import { createHmac, hkdfSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  currentEmailHashPrefix,
  emailHash,
  generateKey,
  isEmailHashCurrent,
  loadKeyring,
  sha256Hex,
} from '../../src/core/crypto/index.ts';

const keyring = loadKeyring({ secretKey: generateKey(), dataDir: '/nonexistent' });

describe('emailHash', () => {
  it('is HMAC-SHA256 of the normalized address under an HKDF subkey of the data key, tagged with the key id', () => {
    const subkey = Buffer.from(
      hkdfSync(
        'sha256',
        keyring.current.key,
        Buffer.alloc(0),
        'attest email-hash h1 disclosure-reporter',
        32,
      ),
    );
    const expected = createHmac('sha256', subkey).update('ana@example.test').digest('hex');
    expect(emailHash(keyring, 'disclosure-reporter', '  Ana@Example.TEST ')).toBe(
      `h1.${keyring.current.id}.${expected}`,
    );
  });

  it('is not the SHA-256 of the address, and differs per key and per purpose', () => {
    const address = 'ana@example.test';
    const hash = emailHash(keyring, 'disclosure-reporter', address);
    expect(hash).not.toContain(sha256Hex(address));
    const other = loadKeyring({ secretKey: generateKey(), dataDir: '/nonexistent' });
    expect(emailHash(other, 'disclosure-reporter', address).split('.')[2]).not.toBe(hash.split('.')[2]);
    expect(emailHash(keyring, 'login-throttle', address)).not.toBe(hash);
  });

  it('tells hashes under the current key from older ones', () => {
    expect(isEmailHashCurrent(keyring, emailHash(keyring, 'login-throttle', 'a@b.test'))).toBe(true);
    expect(isEmailHashCurrent(keyring, sha256Hex('a@b.test'))).toBe(false);
    expect(currentEmailHashPrefix(keyring)).toBe(`h1.${keyring.current.id}.`);
  });
});
