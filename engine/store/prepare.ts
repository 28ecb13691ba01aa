/**
 * Turn caller input into validated, encoded writes before any transaction
 * starts, so a transaction only does I/O and every refusal happens while
 * nothing has been touched.
 */
import {
  type EventEnvelope,
  encodeEvent,
  forEachPayload,
  InvalidEventError,
  validateEvent,
  type WorkflowEvent,
} from "../events/index.ts";
import type { Fence } from "./coordination/types.ts";
import { checkFence } from "./coordination/validate.ts";
import { InvalidArgumentError } from "./errors.ts";
import {
  type AppendOptions,
  DEFAULT_NAMESPACE,
  type PackageInput,
  type TimerSpec,
} from "./types.ts";
import {
  checkContentHash,
  checkExpectedSeq,
  checkId,
  checkNamespace,
  checkTimestamp,
} from "./validate.ts";

/** Size limits enforced on input. */
export interface Limits {
  readonly maxPayloadBytes: number;
  readonly maxPackageBytes: number;
}

/** An append that passed validation, with its envelopes already encoded. */
export interface PreparedAppend {
  readonly workflowId: string;
  readonly expectedSeq: number;
  readonly envelopes: readonly EventEnvelope[];
  /** `encodeEvent` of each envelope, same order. */
  readonly encoded: readonly Uint8Array[];
  readonly timers: readonly TimerSpec[];
  /** The namespace a new workflow is created in (unused when it exists). */
  readonly namespace: string;
  /** The shard lease the append must still hold, when fenced. */
  readonly fence: Fence | undefined;
}

function checkTimers(timers: readonly TimerSpec[] | undefined): readonly TimerSpec[] {
  if (timers === undefined) return [];
  if (!Array.isArray(timers)) throw new InvalidArgumentError("options.timers", "must be an array");
  return timers.map((t: TimerSpec, i) => ({
    timerId: checkId(t?.timerId, `options.timers[${i}].timerId`),
    fireAt: checkTimestamp(t?.fireAt, `options.timers[${i}].fireAt`),
  }));
}

/**
 * Validate an append and encode its envelopes. Seqs are assigned from
 * `expectedSeq`: if the head turns out to differ the append is refused whole,
 * so the assignment is never wrong for anything that gets written.
 *
 * @throws InvalidArgumentError
 */
export function prepareAppend(
  workflowId: string,
  events: readonly WorkflowEvent[],
  expectedSeq: number,
  options: AppendOptions | undefined,
  now: () => number,
  limits: Limits,
): PreparedAppend {
  checkId(workflowId, "workflowId");
  checkExpectedSeq(expectedSeq);
  if (!Array.isArray(events) || events.length === 0) {
    throw new InvalidArgumentError("events", "must be a non-empty array");
  }
  const recordedAt = checkTimestamp(options?.recordedAt ?? now(), "options.recordedAt");
  const timers = checkTimers(options?.timers);
  const namespace =
    options?.namespace === undefined
      ? DEFAULT_NAMESPACE
      : checkNamespace(options.namespace, "options.namespace");
  const envelopes: EventEnvelope[] = [];
  const encoded: Uint8Array[] = [];
  events.forEach((raw: WorkflowEvent, i) => {
    let event: WorkflowEvent;
    try {
      event = validateEvent(raw, `events[${i}]`);
    } catch (error) {
      if (error instanceof InvalidEventError) {
        throw new InvalidArgumentError(error.path, error.message, { cause: error });
      }
      throw error;
    }
    if (i === 0 && expectedSeq === 0 && event.kind !== "WorkflowStarted") {
      throw new InvalidArgumentError("events[0]", "a history must begin with WorkflowStarted");
    }
    forEachPayload(event, (path, p) => {
      if (p.bytes.byteLength > limits.maxPayloadBytes) {
        throw new InvalidArgumentError(
          `events[${i}].${path}`,
          `payload of ${p.bytes.byteLength} bytes exceeds the ${limits.maxPayloadBytes}-byte limit`,
        );
      }
    });
    const envelope: EventEnvelope = { seq: expectedSeq + i + 1, recordedAt, workflowId, event };
    envelopes.push(envelope);
    encoded.push(encodeEvent(envelope));
  });
  const fence =
    options?.fence === undefined ? undefined : checkFence(options.fence, "options.fence");
  return { workflowId, expectedSeq, envelopes, encoded, timers, namespace, fence };
}

/**
 * Validate a package and copy its archive, so later mutation of the caller's
 * buffer cannot change what is stored.
 *
 * @throws InvalidArgumentError
 */
export function preparePackage(pkg: PackageInput, limits: Limits): PackageInput {
  if (typeof pkg !== "object" || pkg === null) {
    throw new InvalidArgumentError("package", "must be an object");
  }
  const workflowType = checkId(pkg.workflowType, "package.workflowType");
  const contentHash = checkContentHash(pkg.contentHash, "package.contentHash");
  if (!(pkg.archive instanceof Uint8Array)) {
    throw new InvalidArgumentError("package.archive", "must be a Uint8Array");
  }
  if (pkg.archive.byteLength > limits.maxPackageBytes) {
    throw new InvalidArgumentError(
      "package.archive",
      `${pkg.archive.byteLength} bytes exceeds the ${limits.maxPackageBytes}-byte limit`,
    );
  }
  return { workflowType, contentHash, archive: pkg.archive.slice() };
}
