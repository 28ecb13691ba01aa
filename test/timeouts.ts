/**
 * The default per-test timeout of every test file. A test that does real
 * work (subprocesses, SQLite files, real timers, the OTP compiler) can take
 * several times longer on a loaded 2-core machine than on an idle one, and
 * bun's own default (5 s) turned such load into failures. A hang still fails,
 * just later. bun applies a preload's `setDefaultTimeout` to the first test
 * file only, so every file sets it itself (test/suite-rules.test.ts checks);
 * files whose tests are slower still set a larger value of their own.
 */
export const TEST_TIMEOUT_MS = 30_000;
