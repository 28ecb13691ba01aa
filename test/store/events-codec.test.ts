/** The event model: schema coverage, versioned codec, corruption handling. */
import { describe, expect, setDefaultTimeout, test } from "bun:test";
import {
  decodeEvent,
  EVENT_FORMAT_VERSION,
  EVENT_KINDS,
  EventDecodeError,
  type EventEnvelope,
  type EventKind,
  encodeEvent,
  eventFormatVersion,
  InvalidEventError,
  validateEvent,
} from "../../engine/events/index.ts";
import { TEST_TIMEOUT_MS } from "../timeouts.ts";
import { oneOfEveryKind, prng } from "./helpers.ts";

setDefaultTimeout(TEST_TIMEOUT_MS);

const CONTRACT_KINDS: readonly EventKind[] = [
  "WorkflowStarted",
  "WorkflowCompleted",
  "WorkflowFailed",
  "WorkflowCancelled",
  "WorkflowTimedOut",
  "WorkflowContinuedAsNew",
  "SearchAttributesUpdated",
  "ActivityScheduled",
  "ActivityStarted",
  "ActivityCompleted",
  "ActivityFailed",
  "ActivityCancelled",
  "TimerStarted",
  "TimerFired",
  "TimerCancelled",
  "WithTimeoutCompleted",
  "SignalReceived",
  "SignalSent",
  "ChildWorkflowStarted",
  "ChildWorkflowCompleted",
  "ChildWorkflowFailed",
  "ChildWorkflowCancelled",
  "ScheduleCreated",
  "ScheduleUpdated",
  "SchedulePaused",
  "ScheduleResumed",
  "ScheduleDeleted",
  "ScheduleTriggered",
];

const envelopes = (): EventEnvelope[] =>
  oneOfEveryKind().map((event, i) => ({
    seq: i + 1,
    recordedAt: 1_700_000_000_000 + i,
    workflowId: "wf-é",
    event,
  }));

function decodeFails(bytes: Uint8Array): EventDecodeError {
  try {
    decodeEvent(bytes);
  } catch (error) {
    expect(error).toBeInstanceOf(EventDecodeError);
    return error as EventDecodeError;
  }
  throw new Error("decode unexpectedly succeeded");
}

describe("event model", () => {
  test("every event kind of the contract is modelled, and the fixture covers them all", () => {
    expect([...EVENT_KINDS].sort()).toEqual([...CONTRACT_KINDS].sort());
    expect(new Set(oneOfEveryKind().map((e) => e.kind))).toEqual(new Set(CONTRACT_KINDS));
  });

  test("every kind round-trips through encode/decode", () => {
    for (const envelope of envelopes()) {
      const bytes = encodeEvent(envelope);
      expect(eventFormatVersion(bytes)).toBe(EVENT_FORMAT_VERSION);
      expect(decodeEvent(bytes)).toEqual(envelope);
    }
  });

  test("an unknown format version is a typed error carrying the version", () => {
    const bytes = encodeEvent(envelopes()[0]!);
    for (const version of [0, 2, 255]) {
      const copy = bytes.slice();
      copy[0] = version;
      const error = decodeFails(copy);
      expect(error.reason).toBe("unknown-version");
      expect(error.version).toBe(version);
    }
  });

  test("every truncation is detected as corrupt", () => {
    const bytes = encodeEvent(envelopes()[4]!);
    for (let n = 0; n < bytes.byteLength; n++) {
      expect(decodeFails(bytes.subarray(0, n)).reason).toBe("corrupt");
    }
  });

  test("bit flips and trailing bytes are detected", () => {
    const bytes = encodeEvent(envelopes()[1]!);
    const random = prng(7);
    for (let i = 1; i < bytes.byteLength; i++) {
      const copy = bytes.slice();
      copy[i] = copy[i]! ^ (1 << Math.floor(random() * 8));
      expect(decodeFails(copy).reason).toBe("corrupt");
    }
    const longer = new Uint8Array(bytes.byteLength + 1);
    longer.set(bytes);
    expect(decodeFails(longer).reason).toBe("corrupt");
  });

  test("a well-checksummed but malformed header is corrupt, not accepted", () => {
    const forge = (header: unknown, tail = new Uint8Array()): Uint8Array => {
      const h = new TextEncoder().encode(JSON.stringify(header));
      const out = new Uint8Array(5 + h.byteLength + tail.byteLength + 4);
      const view = new DataView(out.buffer);
      out[0] = EVENT_FORMAT_VERSION;
      view.setUint32(1, h.byteLength);
      out.set(h, 5);
      out.set(tail, 5 + h.byteLength);
      const end = out.byteLength - 4;
      view.setUint32(end, Bun.hash.crc32(out.subarray(0, end)));
      return out;
    };
    const ok = {
      seq: 1,
      recordedAt: 5,
      workflowId: "w",
      event: { kind: "TimerFired", timerId: "t" },
    };
    expect(decodeEvent(forge(ok)).event).toEqual({ kind: "TimerFired", timerId: "t" });
    const bad = [
      [],
      { ...ok, seq: 0 },
      { ...ok, recordedAt: -1 },
      { ...ok, workflowId: 3 },
      { ...ok, event: { kind: "Bogus" } },
      { ...ok, event: { kind: "TimerFired" } },
      { ...ok, event: { kind: "TimerFired", timerId: "t", more: 1 } },
      { ...ok, event: { kind: "TimerFired", timerId: 1 } },
      { ...ok, event: { kind: "WorkflowCompleted", result: ["application/json", 10] } },
      { ...ok, event: { kind: "WorkflowCompleted", result: "inline" } },
    ];
    for (const header of bad) expect(decodeFails(forge(header)).reason).toBe("corrupt");
  });

  test("validateEvent accepts the fixture and names bad fields", () => {
    for (const e of oneOfEveryKind()) expect(validateEvent(e)).toBe(e);
    const cases: Array<[unknown, string]> = [
      [{ kind: "WorkflowStarted" }, "event.workflowType"],
      [{ kind: "WithTimeoutCompleted", scopeId: "s", timedOut: "yes" }, "event.timedOut"],
      [{ kind: "TimerStarted", timerId: "t", fireAt: 1.5 }, "event.fireAt"],
      [{ kind: "SchedulePaused", scheduleId: "s" }, "event.reason"],
      [
        { kind: "WorkflowCompleted", result: { contentType: "", bytes: new Uint8Array() } },
        "event.result.contentType",
      ],
    ];
    for (const [value, path] of cases) {
      try {
        validateEvent(value);
        throw new Error("expected a failure");
      } catch (error) {
        expect(error).toBeInstanceOf(InvalidEventError);
        expect((error as InvalidEventError).path).toBe(path);
      }
    }
  });
});
