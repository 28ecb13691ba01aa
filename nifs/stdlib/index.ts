/**
 * Our own Erlang library modules (lists, maps, json, queue, sets, gb_sets,
 * gb_trees, ordsets, orddict, timer, ets), compiled by scripts/build-stdlib.sh into
 * .beam files in this directory. The VM loads them from here; natives
 * registered for the same modules (nifs/lib) take precedence per function.
 */
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";

/** Absolute path of nifs/stdlib (where the library .beam files are). */
export const STDLIB_DIR: string = dirname(fileURLToPath(import.meta.url));
