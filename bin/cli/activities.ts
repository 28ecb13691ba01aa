/**
 * Loading a TypeScript activities module for `aion worker`: every exported
 * function is an activity named after its export; a default-exported object
 * adds its function members (for names that are not identifiers, such as
 * `send-email`).
 */
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import type { ActivityFn } from "../../engine/index.ts";
import { CliError } from "./errors.ts";

/** Imports `file` and returns its activities by name. @throws CliError */
export async function loadActivities(file: string): Promise<Record<string, ActivityFn>> {
  let mod: Record<string, unknown>;
  try {
    mod = (await import(pathToFileURL(resolve(file)).href)) as Record<string, unknown>;
  } catch (e) {
    throw new CliError("usage", `cannot import activities from ${file}: ${(e as Error).message}`);
  }
  const out: Record<string, ActivityFn> = {};
  for (const [name, value] of Object.entries(mod)) {
    if (name === "default" && typeof value === "object" && value !== null) {
      for (const [k, v] of Object.entries(value))
        if (typeof v === "function") out[k] = v as ActivityFn;
    } else if (typeof value === "function") {
      out[name] = value as ActivityFn;
    }
  }
  if (Object.keys(out).length === 0) {
    throw new CliError("usage", `${file} exports no activity functions`);
  }
  return out;
}
