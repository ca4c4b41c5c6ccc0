// Integration and e2e tests use real databases, argon2 and queues on a shared 2-core machine:
// seconds, not milliseconds. (testTimeout is a global Jest option, so projects set it here.)
jest.setTimeout(60_000);
