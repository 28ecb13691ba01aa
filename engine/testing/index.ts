/** Test kit for workflow authors: a manual-clock environment and history replay. */
export { type ReplayOptions, type ReplayReport, replay } from "./replay.ts";
export { TestEnvironment, type TestEnvironmentOptions } from "./test-env.ts";
