import t from 'tap';
import { MemoryBucket } from '../../../../actors/shared/objstore/memory.js';
import { describeBucket } from './bucket.contract.js';

describeBucket(t, 'MEMORY', async () => ({ bucket: new MemoryBucket() }));
