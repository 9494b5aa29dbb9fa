import type { AppConfig } from '../config/config.schema';
import { LocalDiskStorage } from './local-disk.storage';
import type { ObjectStorage } from './object-storage';
import { S3Storage } from './s3.storage';

type StorageConfig = Pick<AppConfig, 'DATA_DIR'> & { [K in keyof AppConfig as K extends `STORAGE_${string}` ? K : never]: AppConfig[K] };

/** The adapter the config names (validated at boot: a bucket is set for `s3`). */
export function createObjectStorage(config: StorageConfig): ObjectStorage {
  if (config.STORAGE_DRIVER === 'local') return new LocalDiskStorage(config.DATA_DIR);
  return new S3Storage({
    bucket: config.STORAGE_S3_BUCKET!,
    region: config.STORAGE_S3_REGION,
    ...(config.STORAGE_S3_ENDPOINT ? { endpoint: config.STORAGE_S3_ENDPOINT } : {}),
    forcePathStyle: config.STORAGE_S3_FORCE_PATH_STYLE,
    ...(config.STORAGE_S3_ACCESS_KEY_ID ? { accessKeyId: config.STORAGE_S3_ACCESS_KEY_ID } : {}),
    ...(config.STORAGE_S3_SECRET_ACCESS_KEY ? { secretAccessKey: config.STORAGE_S3_SECRET_ACCESS_KEY } : {}),
    keyPrefix: config.STORAGE_S3_KEY_PREFIX,
    ...(config.STORAGE_S3_SSE !== 'none' ? { serverSideEncryption: config.STORAGE_S3_SSE } : {}),
    ...(config.STORAGE_S3_SSE_KMS_KEY_ID ? { kmsKeyId: config.STORAGE_S3_SSE_KMS_KEY_ID } : {}),
    partSize: config.STORAGE_S3_PART_SIZE,
    queueSize: 4,
    presignSeconds: config.STORAGE_PRESIGNED_DOWNLOADS ? config.STORAGE_PRESIGNED_EXPIRY_SECONDS : 0,
    checksums: config.STORAGE_S3_CHECKSUMS,
  });
}
