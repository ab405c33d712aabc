import { createHash, generateKeyPairSync, type KeyObject, randomBytes, sign } from 'node:crypto';

/**
 * A software WebAuthn authenticator for tests: one ES256 (P-256) credential, `none` attestation,
 * answers shaped like the browser's RegistrationResponseJSON / AuthenticationResponseJSON.
 * Layouts from WebAuthn Level 3 §6.1 (authenticator data), §6.5.1 (attested credential data),
 * §8.7 (none attestation) and RFC 9053 §7.1.1 (COSE EC2 key); signing is node:crypto.
 */

type CborValue = number | string | Uint8Array | Map<number | string, CborValue>;

/** The CBOR subset these messages need (RFC 8949 §3.1): ints, byte and text strings, maps. */
export function encodeCbor(value: CborValue): Buffer {
  if (typeof value === 'number') {
    if (!Number.isInteger(value)) throw new TypeError('only integers are supported');
    return value >= 0 ? head(0, value) : head(1, -1 - value);
  }
  if (typeof value === 'string') {
    const bytes = Buffer.from(value, 'utf8');
    return Buffer.concat([head(3, bytes.length), bytes]);
  }
  if (value instanceof Uint8Array) return Buffer.concat([head(2, value.length), value]);
  const parts = [head(5, value.size)];
  for (const [key, item] of value) parts.push(encodeCbor(key), encodeCbor(item));
  return Buffer.concat(parts);
}

function head(majorType: number, argument: number): Buffer {
  const major = majorType << 5;
  if (argument < 24) return Buffer.from([major | argument]);
  if (argument < 0x100) return Buffer.from([major | 24, argument]);
  if (argument < 0x10000) {
    const out = Buffer.alloc(3);
    out[0] = major | 25;
    out.writeUInt16BE(argument, 1);
    return out;
  }
  const out = Buffer.alloc(5);
  out[0] = major | 26;
  out.writeUInt32BE(argument, 1);
  return out;
}

const FLAG_UP = 0x01;
const FLAG_UV = 0x04;
const FLAG_AT = 0x40;

const b64url = (bytes: Uint8Array | string) => Buffer.from(bytes).toString('base64url');
const sha256 = (data: Uint8Array | string) => createHash('sha256').update(data).digest();

export type AuthenticatorOptions = {
  /** The RP ID the credential is scoped to (a host name). */
  rpId: string;
  /** The origin the "browser" reports in clientDataJSON. */
  origin: string;
  /** Reuse a credential id (to impersonate another authenticator's credential with a different key). */
  credentialId?: Buffer;
};

export type RegistrationResponse = {
  id: string;
  rawId: string;
  type: 'public-key';
  authenticatorAttachment: 'platform';
  clientExtensionResults: Record<string, never>;
  response: { clientDataJSON: string; attestationObject: string; transports: string[] };
};

export type AuthenticationResponse = {
  id: string;
  rawId: string;
  type: 'public-key';
  authenticatorAttachment: 'platform';
  clientExtensionResults: Record<string, never>;
  response: { clientDataJSON: string; authenticatorData: string; signature: string };
};

export class SoftwareAuthenticator {
  readonly credentialId: Buffer;
  /** Signature counter; incremented before each assertion, as authenticators do. */
  signCount = 0;
  private readonly privateKey: KeyObject;
  private readonly publicKey: KeyObject;

  constructor(private readonly options: AuthenticatorOptions) {
    this.credentialId = options.credentialId ?? randomBytes(32);
    const pair = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    this.privateKey = pair.privateKey;
    this.publicKey = pair.publicKey;
  }

  get id(): string {
    return b64url(this.credentialId);
  }

  /** Answers navigator.credentials.create() for `challenge` (base64url, as in the options). */
  register(challenge: string, overrides: { origin?: string; signCount?: number } = {}): RegistrationResponse {
    const clientDataJSON = this.clientData('webauthn.create', challenge, overrides.origin);
    const idLength = Buffer.alloc(2);
    idLength.writeUInt16BE(this.credentialId.length);
    const authData = Buffer.concat([
      this.authDataHead(FLAG_UP | FLAG_UV | FLAG_AT, overrides.signCount ?? 0),
      Buffer.alloc(16), // AAGUID: all zero for a `none` attestation
      idLength,
      this.credentialId,
      encodeCbor(this.coseKey()),
    ]);
    const attestationObject = encodeCbor(
      new Map<string, CborValue>([
        ['fmt', 'none'],
        ['attStmt', new Map()],
        ['authData', authData],
      ]),
    );
    return {
      id: this.id,
      rawId: this.id,
      type: 'public-key',
      authenticatorAttachment: 'platform',
      clientExtensionResults: {},
      response: {
        clientDataJSON: b64url(clientDataJSON),
        attestationObject: b64url(attestationObject),
        transports: ['internal'],
      },
    };
  }

  /** Answers navigator.credentials.get() for `challenge`; `signCount` overrides the next counter value. */
  authenticate(
    challenge: string,
    overrides: { origin?: string; signCount?: number } = {},
  ): AuthenticationResponse {
    this.signCount = overrides.signCount ?? this.signCount + 1;
    const clientDataJSON = this.clientData('webauthn.get', challenge, overrides.origin);
    const authenticatorData = this.authDataHead(FLAG_UP | FLAG_UV, this.signCount);
    // §6.3.3 step 11: the signature covers authenticatorData ‖ SHA-256(clientDataJSON); ES256 is DER.
    const signature = sign(
      'sha256',
      Buffer.concat([authenticatorData, sha256(clientDataJSON)]),
      this.privateKey,
    );
    return {
      id: this.id,
      rawId: this.id,
      type: 'public-key',
      authenticatorAttachment: 'platform',
      clientExtensionResults: {},
      response: {
        clientDataJSON: b64url(clientDataJSON),
        authenticatorData: b64url(authenticatorData),
        signature: b64url(signature),
      },
    };
  }

  private clientData(type: string, challenge: string, origin = this.options.origin): Buffer {
    return Buffer.from(JSON.stringify({ type, challenge, origin, crossOrigin: false }), 'utf8');
  }

  private authDataHead(flags: number, signCount: number): Buffer {
    const counter = Buffer.alloc(4);
    counter.writeUInt32BE(signCount);
    return Buffer.concat([sha256(this.options.rpId), Buffer.from([flags]), counter]);
  }

  /** RFC 9053 §7.1.1: kty EC2 (1:2), alg ES256 (3:-7), crv P-256 (-1:1), x (-2), y (-3). */
  private coseKey(): Map<number, CborValue> {
    const jwk = this.publicKey.export({ format: 'jwk' });
    return new Map<number, CborValue>([
      [1, 2],
      [3, -7],
      [-1, 1],
      [-2, Buffer.from(jwk.x ?? '', 'base64url')],
      [-3, Buffer.from(jwk.y ?? '', 'base64url')],
    ]);
  }
}
