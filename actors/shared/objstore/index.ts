// The objstore package surface. Internal modules import concrete files; other packages import here.
export { OPS, type Bucket, type BucketReader, type IterOptions, type ObjectAttributes, type OpName, type OpOptions, type ProviderType, type UploadBody } from './bucket.js';
export { collect, bytesStream } from './body.js';
export { CachingBucket, type CachingBucketOptions } from './caching-bucket.js';
export { DEFAULT_CACHING_BUCKET_CONFIG, cachingBucketConfigFrom, cachingBucketConfigFromFlags, cachingBucketFlags, parseCachingBucketYaml, type CachingBucketConfig } from './caching-config.js';
export { objstoreConfigFrom, parseObjstoreYaml, type ObjstoreConfig } from './config.js';
export { parseBytes, parseDurationMs } from './config-reader.js';
export { InvalidObjectNameError, InvalidRangeError, ObjectNotFoundError, ObjstoreConfigError, ObjstoreError, isObjectNotFound } from './errors.js';
export { bucketFromFlags, createBucket, createProvider, objstoreConfigFromFlags, objstoreFlags, type CreateBucketOptions } from './factory.js';
export { FaultyBucket, seededRandom, type FaultOptions } from './faulty.js';
export { FilesystemBucket, type FilesystemBucketOptions } from './filesystem.js';
export { InMemoryCache, type InMemoryCacheOptions } from './memory-cache.js';
export { MemoryBucket } from './memory.js';
export { BucketMetrics, InstrumentedBucket } from './metrics.js';
export { DIR_DELIM, isChunkFile, isMetaFile } from './names.js';
export { PrefixedBucket } from './prefixed.js';
export { RetryingBucket, backoffMs, type RetryOptions } from './retry.js';
export { S3Bucket, makeS3Client } from './s3.js';
export { parseS3Config, type S3Config } from './s3-config.js';
