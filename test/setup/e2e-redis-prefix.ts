import { basename } from 'node:path';

// Each e2e file runs its api and worker processes on a Redis prefix of its own (under the run's,
// so the global teardown still removes every key): a worker left running by one file, or a
// repeatable sweeper it scheduled, must never take another file's queued jobs. Jest gives every
// test file its own copy of process.env, so this does not leak into the next file.
const file = basename(expect.getState().testPath ?? 'unknown').replace(/\.e2e-spec\.ts$/, '');
process.env.REDIS_PREFIX = `${process.env.REDIS_PREFIX ?? 'tocsin-test'}-${file}`;
