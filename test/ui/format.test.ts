/** The console's pure helpers: formatting (ui/app/format.ts) and its addresses (ui/app/route.ts). */
import { describe, expect, setDefaultTimeout, test } from "bun:test";
import {
  formatDuration,
  formatJson,
  formatRelative,
  formatTime,
  jsonPreview,
  parseJsonInput,
  parseLocalTime,
  shortId,
} from "../../ui/app/format.ts";
import { formatRoute, parseRoute, type Route } from "../../ui/app/route.ts";
import { TEST_TIMEOUT_MS } from "../timeouts.ts";

setDefaultTimeout(TEST_TIMEOUT_MS);

describe("format", () => {
  test("durations pick their units", () => {
    expect(formatDuration(0)).toBe("0ms");
    expect(formatDuration(850)).toBe("850ms");
    expect(formatDuration(1000)).toBe("1s");
    expect(formatDuration(1250)).toBe("1.25s");
    expect(formatDuration(185_000)).toBe("3m 05s");
    expect(formatDuration(2 * 3_600_000 + 3 * 60_000)).toBe("2h 03m");
    expect(formatDuration(4 * 86_400_000 + 6 * 3_600_000)).toBe("4d 06h");
    expect(formatDuration(-1)).toBe("—");
    expect(formatDuration(undefined)).toBe("—");
  });

  test("times are UTC with milliseconds; relative times say which side of now", () => {
    expect(formatTime(Date.UTC(2026, 11, 7, 6, 30, 5, 42))).toBe("2026-12-07 06:30:05.042");
    expect(formatTime(null)).toBe("—");
    expect(formatRelative(10_000, 5_000)).toBe("in 5s");
    expect(formatRelative(0, 185_000)).toBe("3m 05s ago");
  });

  test("JSON: indented, previews cut with an ellipsis, ids shortened in the middle", () => {
    expect(formatJson({ a: [1] })).toBe('{\n  "a": [\n    1\n  ]\n}');
    expect(formatJson(undefined)).toBe("—");
    expect(jsonPreview({ k: "x".repeat(20) }, 10)).toBe('{"k":"xxx…');
    expect(jsonPreview([1, 2])).toBe("[1,2]");
    expect(shortId("1b4e28ba-2fa1-11d2-883f-0016d3cca427")).toBe("1b4e28ba…a427");
    expect(shortId("wf-1")).toBe("wf-1");
  });

  test("editor input: empty is null, bad JSON is a message, not an exception", () => {
    expect(parseJsonInput("  ")).toEqual({ ok: true, value: null });
    expect(parseJsonInput('{"a": 1}')).toEqual({ ok: true, value: { a: 1 } });
    const bad = parseJsonInput("{a: 1}");
    expect(bad.ok).toBe(false);
    expect(bad.ok ? "" : bad.error).toStartWith("not valid JSON");
  });

  test("datetime-local values are read as UTC", () => {
    expect(parseLocalTime("2026-12-07T06:30")).toBe(Date.UTC(2026, 11, 7, 6, 30));
    expect(parseLocalTime("2026-12-07T06:30:00+01:00")).toBe(Date.UTC(2026, 11, 7, 5, 30));
    expect(parseLocalTime("")).toBeUndefined();
    expect(parseLocalTime("yesterday")).toBeUndefined();
  });
});

describe("routes", () => {
  test("each page's address parses back to the same page", () => {
    const routes: Route[] = [
      { page: "packages" },
      { page: "workflow", id: "a/b c?", namespace: "billing" },
      {
        page: "list",
        query: {
          namespace: "ops",
          status: "Failed",
          type: "order",
          from: "2026-12-01T00:00",
          to: "2026-12-02T00:00",
          attrs: ["region=eu", "vip=true"],
          cursor: "WzEsImRlc2MiLDEsImEiXQ",
          position: 100,
        },
      },
      { page: "list", query: { namespace: "default", attrs: [], position: 0 } },
    ];
    for (const r of routes) expect(parseRoute(formatRoute(r))).toEqual(r);
  });

  test("unknown or malformed addresses fall back to the default list", () => {
    const home: Route = { page: "list", query: { namespace: "default", attrs: [], position: 0 } };
    expect(parseRoute("")).toEqual(home);
    expect(parseRoute("#/nowhere")).toEqual(home);
    expect(parseRoute("#/workflows?status=Nope&at=-5")).toEqual(home);
    // A position without a cursor means nothing: the newest page is at 0.
    expect(parseRoute("#/workflows?at=50")).toEqual(home);
    expect(parseRoute("#/workflow/%E0%A4%A")).toEqual(home);
  });
});
