/**
 * The settings a workflow's dispatch config (JSON) gives one activity: its
 * retry policy and attempt timeout. Shared by local attempts and task-queue
 * workers, so both read a config the same way.
 */
import { parseDuration } from "../duration.ts";
import { type AttemptPolicy, parseSdkRetry } from "../run/retry-policy.ts";

export interface DispatchConfig {
  /** The SDK's policy when the config has a `retry` field (even null); else undefined. */
  readonly retry: AttemptPolicy | undefined;
  readonly timeoutMs: number | undefined;
}

function num(v: unknown): number | undefined {
  if (typeof v === "number" && Number.isFinite(v)) return v;
  if (typeof v === "string") return parseDuration(v);
  return undefined;
}

/** Reads the retry policy and the attempt timeout from a dispatch config JSON. */
export function parseDispatchConfig(text: string): DispatchConfig {
  let c: Record<string, unknown> = {};
  try {
    const v: unknown = JSON.parse(text);
    if (typeof v === "object" && v !== null && !Array.isArray(v)) c = v as Record<string, unknown>;
  } catch {
    // A config that is not JSON carries no settings.
  }
  return {
    retry: "retry" in c ? parseSdkRetry(c.retry) : undefined,
    timeoutMs: num(c.timeout ?? c.start_to_close_timeout ?? c.timeoutMs),
  };
}
