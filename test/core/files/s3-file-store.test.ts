import {
  GetObjectCommand,
  HeadObjectCommand,
  NoSuchKey,
  NotFound,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { s3FileStore } from '../../../src/core/files/s3-file-store.ts';

const s3 = mockClient(S3Client);
const config = {
  bucket: 'attest-files',
  prefix: 'attest/',
  region: 'us-east-1',
  endpoint: undefined,
  forcePathStyle: false,
};

describe('the S3 file store', () => {
  beforeEach(() => s3.reset());

  it('puts objects under the prefix, and only if absent when asked', async () => {
    const store = s3FileStore(config, new S3Client({ region: 'us-east-1' }));
    s3.on(PutObjectCommand).resolves({});
    await store.put('trust-files/abc', 'sealed');
    expect(s3.commandCalls(PutObjectCommand)[0]?.args[0].input).toMatchObject({
      Bucket: 'attest-files',
      Key: 'attest/trust-files/abc',
      Body: 'sealed',
    });
    s3.on(PutObjectCommand).rejects(
      new S3ServiceException({
        name: 'PreconditionFailed',
        $fault: 'client',
        $metadata: { httpStatusCode: 412 },
      }),
    );
    expect(await store.putIfAbsent('trust-files/abc', 'other')).toBe(false);
    expect(s3.commandCalls(PutObjectCommand)[1]?.args[0].input.IfNoneMatch).toBe('*');
  });

  it('reads content back, and says undefined for a missing key', async () => {
    const store = s3FileStore(config, new S3Client({ region: 'us-east-1' }));
    s3.on(GetObjectCommand, { Key: 'attest/trust-files/here' }).resolves({
      // The SDK's body: a stream with transformToString.
      Body: { transformToString: async () => 'sealed-text' } as never,
    });
    s3.on(GetObjectCommand, { Key: 'attest/trust-files/gone' }).rejects(
      new NoSuchKey({ message: 'no', $metadata: { httpStatusCode: 404 } }),
    );
    expect(await store.get('trust-files/here')).toBe('sealed-text');
    expect(await store.get('trust-files/gone')).toBeUndefined();
  });

  it('finds which keys exist with HEAD requests', async () => {
    const store = s3FileStore(config, new S3Client({ region: 'us-east-1' }));
    s3.on(HeadObjectCommand, { Key: 'attest/trust-files/a' }).resolves({});
    s3.on(HeadObjectCommand, { Key: 'attest/trust-files/b' }).rejects(
      new NotFound({ message: 'no', $metadata: { httpStatusCode: 404 } }),
    );
    expect(await store.existing(['trust-files/a', 'trust-files/b'])).toEqual(new Set(['trust-files/a']));
  });
});
