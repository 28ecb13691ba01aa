/**
 * The `aion-bun` package's main entry: the durable workflow engine
 * (`import { Engine } from "aion-bun"`). The other layers have their own
 * subpaths, so importing the engine never drags in what you do not use:
 * `aion-bun/deploy` (versioned `.aion` deploys), `aion-bun/http` (the
 * HTTP/JSON API), `aion-bun/testing` (replay and a manual-clock test
 * environment), `aion-bun/loader` (.beam loading) and `aion-bun/vm` (the VM).
 * See docs/api.md.
 */
export * from "./engine/index.ts";
