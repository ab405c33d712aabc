import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  paginateListObjectsV2,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import type { FileStore } from './file-store.ts';

export type S3FileStoreConfig = {
  bucket: string;
  /** Prepended to every key (`attest/` to share a bucket); may be empty. */
  prefix: string;
  region: string;
  /** For S3-compatible servers (MinIO, Ceph, Garage…); unset = AWS. */
  endpoint: string | undefined;
  forcePathStyle: boolean;
};

/** Objects checked at once when asking which keys exist (HEAD requests). */
const HEAD_CONCURRENCY = 8;

function isNotFound(error: unknown): boolean {
  if (!(error instanceof S3ServiceException)) return false;
  return error.name === 'NoSuchKey' || error.name === 'NotFound' || error.$metadata?.httpStatusCode === 404;
}

function isPreconditionFailed(error: unknown): boolean {
  return (
    error instanceof S3ServiceException &&
    (error.name === 'PreconditionFailed' || error.$metadata?.httpStatusCode === 412)
  );
}

/**
 * Files as objects in an S3-compatible bucket (AWS SDK v3). Credentials come from the SDK's usual chain
 * (AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY, a profile, an instance role), never from Attest's own
 * settings. The content is already sealed with the data key, so the bucket never sees a document.
 */
export function s3FileStore(config: S3FileStoreConfig, client?: S3Client): FileStore {
  const s3 =
    client ??
    new S3Client({
      region: config.region,
      endpoint: config.endpoint,
      forcePathStyle: config.forcePathStyle,
    });
  const Bucket = config.bucket;
  const full = (key: string) => `${config.prefix}${key}`;
  const put = (key: string, sealed: string, ifAbsent: boolean) =>
    s3.send(
      new PutObjectCommand({
        Bucket,
        Key: full(key),
        Body: sealed,
        ContentType: 'application/octet-stream',
        ...(ifAbsent ? { IfNoneMatch: '*' } : {}),
      }),
    );

  const store: FileStore = {
    kind: 's3',
    within: () => store,
    async put(key, sealed) {
      await put(key, sealed, false);
    },
    async putIfAbsent(key, sealed) {
      try {
        await put(key, sealed, true);
        return true;
      } catch (error) {
        if (isPreconditionFailed(error)) return false;
        throw error;
      }
    },
    async get(key) {
      try {
        const answer = await s3.send(new GetObjectCommand({ Bucket, Key: full(key) }));
        return answer.Body ? await answer.Body.transformToString('utf8') : '';
      } catch (error) {
        if (isNotFound(error)) return undefined;
        throw error;
      }
    },
    async existing(keys) {
      const found = new Set<string>();
      for (let start = 0; start < keys.length; start += HEAD_CONCURRENCY) {
        const batch = keys.slice(start, start + HEAD_CONCURRENCY);
        await Promise.all(
          batch.map(async (key) => {
            try {
              await s3.send(new HeadObjectCommand({ Bucket, Key: full(key) }));
              found.add(key);
            } catch (error) {
              if (!isNotFound(error)) throw error;
            }
          }),
        );
      }
      return found;
    },
    async remove(key) {
      await s3.send(new DeleteObjectCommand({ Bucket, Key: full(key) }));
    },
    async list(prefix) {
      const keys: string[] = [];
      for await (const page of paginateListObjectsV2({ client: s3 }, { Bucket, Prefix: full(prefix) })) {
        for (const object of page.Contents ?? []) {
          if (object.Key) keys.push(object.Key.slice(config.prefix.length));
        }
      }
      return keys.sort();
    },
  };
  return store;
}
