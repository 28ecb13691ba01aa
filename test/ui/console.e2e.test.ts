/**
 * The web console end to end: a real headless Chromium against a real
 * `aion serve` on loopback. Lists and filters, pages through more than a
 * page of workflows by cursor, opens a workflow, watches it progress live
 * (a signal sent by another client appears without a reload; by the event
 * stream for UUID ids, by long-polling the history for other ids), sends a
 * signal from the page and sees it in the timeline, runs a query, cancels. Skips, saying so, where Chromium is not installed
 * (.ci/run installs it). With AION_UI_SCREENSHOTS=1 it also refreshes
 * docs/ui-list.png and docs/ui-workflow.png.
 */
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, Page } from "puppeteer-core";
import { ROOT } from "../cli/helpers.ts";
import { TEST_TIMEOUT_MS } from "../timeouts.ts";
import {
  CHROMIUM,
  haveChromium,
  launchChromium,
  startApproval,
  startUiServer,
  TOKEN,
  type UiServer,
  v1,
} from "./harness.ts";

setDefaultTimeout(TEST_TIMEOUT_MS);

/*
 * The page functions below run inside Chromium. The repository's type-check
 * has no DOM library (only ui/ has, see ui/tsconfig.json), so the few browser
 * globals they touch are declared here, as narrowly as they are used.
 */
interface PageElement {
  readonly textContent: string | null;
  getAttribute(name: string): string | null;
}
declare const document: {
  querySelector(selector: string): PageElement | null;
  querySelectorAll(selector: string): Iterable<PageElement>;
  readonly cookie: string;
};
declare const window: { marker?: number };

/** More than one page of the list (50 rows). */
const PAGED = 53;

if (!haveChromium) {
  console.warn(
    `test/ui/console.e2e.test.ts: skipped: no Chromium at ${CHROMIUM} ` +
      "(apt-get install -y chromium, or set AION_CHROMIUM)",
  );
}

const SCREENSHOTS = process.env.AION_UI_SCREENSHOTS === "1";
/** Subprocesses and a browser on a shared machine: a hang guard, not a speed check. */
const SLOW = 180_000;
/** Longest wait for one thing to appear on the page (also a hang guard). */
const WAIT = 60_000;

describe.skipIf(!haveChromium)("web console in Chromium", () => {
  let server: UiServer;
  let browser: Browser;
  let page: Page;
  let profile: string;
  /** Workflows: two running approvals in `default`, one in `other`. */
  let live: string;
  let doomed: string;
  let elsewhere: string;
  const pageErrors: string[] = [];

  /** What an element's text must be: exactly `equals`, or contain each of `has`. */
  interface Want {
    readonly equals?: string;
    readonly has?: readonly string[];
  }

  /** Text of the first element matching `selector`, once it is what `want` says. */
  const waitText = async (selector: string, want: Want): Promise<string> => {
    await page
      .waitForFunction(
        (sel: string, eq: string | null, has: string[]) => {
          const t = document.querySelector(sel)?.textContent;
          if (t === undefined || t === null) return false;
          if (eq !== null) return t === eq;
          return t.length > 0 && has.every((x) => t.includes(x));
        },
        // Shorter than the test's own timeout, so a miss reports what the page showed.
        { timeout: WAIT },
        selector,
        want.equals ?? null,
        [...(want.has ?? [])],
      )
      .catch(async (e: unknown) => {
        const shown = await page.$eval(selector, (el) => el.textContent).catch(() => "(absent)");
        throw new Error(
          `${selector}: ${(e as Error).message}; it shows: ${shown}; at ${page.url()}`,
        );
      });
    return page.$eval(selector, (el) => el.textContent ?? "");
  };

  const timelineText = (): Promise<string> => page.$eval("#timeline", (el) => el.textContent ?? "");

  beforeAll(async () => {
    server = await startUiServer();
    live = await startApproval(server, "default", {
      request: "laptop",
      approvers: 2,
      timeout: "1h",
    });
    doomed = await startApproval(server, "default", { request: "chair", timeout: "1h" });
    elsewhere = await startApproval(server, "other", { request: "desk", timeout: "1h" });
    profile = mkdtempSync(join(tmpdir(), "aion-ui-chromium-"));
    browser = await launchChromium(profile);
    page = await browser.newPage();
    page.on("pageerror", (e) => pageErrors.push(String(e)));
    await page.setViewport({ width: 1280, height: 900 });
  }, SLOW);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    if (profile) rmSync(profile, { recursive: true, force: true });
  }, SLOW);

  test(
    "the page is served under a strict CSP; without the token the API refuses",
    async () => {
      const res = await fetch(`${server.url}/ui`);
      expect(res.status).toBe(200);
      const csp = res.headers.get("content-security-policy") ?? "";
      expect(csp).toContain("default-src 'none'");
      expect(csp).toContain("script-src 'self'");
      expect(csp).not.toContain("unsafe-inline");
      await page.goto(`${server.url}/ui#/workflows?namespace=default`);
      expect(await waitText("#list-error", { has: [] })).toContain("token");
      expect(await waitText("#whoami", { has: [] })).toContain("token");
    },
    SLOW,
  );

  test(
    "token entry, then the list with counts, filtered by namespace and status",
    async () => {
      await page.type("#token", TOKEN);
      await page.click("#token-save");
      await waitText("#whoami", { has: ["ui-e2e"] });
      expect(await page.evaluate(() => sessionStorage.getItem("aion.token"))).toBe(TOKEN);
      expect(await page.evaluate(() => document.cookie)).toBe("");
      await page.waitForSelector("tr.wf-row");
      const ids = await page.$$eval("tr.wf-row", (rows) =>
        rows.map((r) => r.getAttribute("data-id")),
      );
      expect(ids.sort()).toEqual([live, doomed].sort());
      expect(await waitText('#counts [data-status="Running"] b', { has: [] })).toBe("2");
      expect(await waitText("#page-info", { has: [] })).toBe("1–2 of 2");
      if (SCREENSHOTS) await page.screenshot({ path: join(ROOT, "docs/ui-list.png") });

      // Namespace filter: the other namespace's workflow only.
      await page.$eval("#f-namespace", (el) => {
        (el as unknown as { value: string }).value = "";
      });
      await page.type("#f-namespace", "other");
      await page.click("#f-apply");
      await page.waitForFunction(
        (id: string) => {
          const rows = [...document.querySelectorAll("tr.wf-row")];
          return rows.length === 1 && rows[0]!.getAttribute("data-id") === id;
        },
        { timeout: SLOW },
        elsewhere,
      );
      // Status filter: nothing in `other` has completed.
      await page.select("#f-status", "Completed");
      await page.click("#f-apply");
      await waitText("#empty", { has: ["No workflows"] });
      expect(page.url()).toContain("status=Completed");
    },
    SLOW,
  );

  test(
    "a workflow page follows the workflow live, sends a signal, and shows the result",
    async () => {
      await page.goto(`${server.url}/ui#/workflows?namespace=default`);
      await page.waitForSelector(`tr.wf-row[data-id="${live}"] a`);
      await page.click(`tr.wf-row[data-id="${live}"] a`);
      await waitText("#wf-status", { equals: "Running" });
      await waitText("#live", { has: ["live"] });
      expect(await page.$eval("#wf-input", (el) => el.textContent)).toContain("laptop");

      // Another client signals; the page shows it without being reloaded.
      const marker = await page.evaluate(() => {
        window.marker = 42;
        return 42;
      });
      await v1(server, "POST", `/v1/workflows/${live}/signals/decision?namespace=default`, {
        by: "bob",
        approved: true,
      });
      await waitText("#timeline", { has: ["Signal decision", "bob"] });
      expect(await page.evaluate(() => window.marker)).toBe(marker);

      // A signal from the page, with confirmation; the second approval completes it.
      await page.type("#signal-name", "decision");
      await page.type("#signal-payload", '{"by": "alice", "approved": true}');
      await page.click("#signal-send");
      await waitText(".confirm p", { has: ['Send signal "decision"'] });
      await page.click(".confirm-yes");
      await waitText("#timeline", { has: ["alice"] });
      await waitText("#wf-status", { equals: "Completed" });
      const result = await waitText("#wf-result", { has: ["approved"] });
      expect(result).toContain("alice");
      const timeline = await timelineText();
      expect(timeline).toContain("Activity notify");
      expect(timeline).toContain("attempt 1: completed");
      expect(timeline).toContain("WorkflowCompleted");
      expect(await page.$eval("#raw-history", (el) => el.textContent)).toContain("SignalReceived");
      if (SCREENSHOTS)
        await page.screenshot({ path: join(ROOT, "docs/ui-workflow.png"), fullPage: true });
    },
    SLOW,
  );

  test(
    "the packages page lists the deployed version as the routed one",
    async () => {
      await page.goto(`${server.url}/ui#/packages`);
      const section = await waitText('section.package[data-type="approval"]', { has: ["routed"] });
      const versions = (await v1(server, "GET", "/v1/packages")) as {
        versions: { workflowType: string; version: string; current: boolean }[];
      };
      const routed = versions.versions.find((v) => v.workflowType === "approval" && v.current);
      expect(section).toContain(routed!.version.slice(0, 12));
      // Only one version: nothing to roll back to.
      expect(await page.$$("button.rollback")).toHaveLength(0);
    },
    SLOW,
  );

  test(
    "a query shows the workflow's reply; cancel (confirmed) ends it",
    async () => {
      await page.goto(`${server.url}/ui#/workflow/${doomed}?namespace=default`);
      await waitText("#wf-status", { equals: "Running" });
      await page.type("#query-name", "status");
      await page.click("#query-run");
      const reply = await waitText("#query-reply", { has: ["pending"] });
      expect(reply).toContain("chair");

      await page.type("#end-reason", "bought one");
      await page.click("#cancel-btn");
      await waitText(".confirm p", { has: [`Cancel ${doomed}?`] });
      await page.click(".confirm-yes");
      await waitText("#wf-status", { equals: "Cancelled" });
      expect(await waitText("#wf-reason", { has: ["bought one"] })).toContain("bought one");
      const summary = (await v1(server, "GET", `/v1/workflows/${doomed}?namespace=default`)) as {
        status: string;
      };
      expect(summary.status).toBe("Cancelled");
      expect(pageErrors).toEqual([]);
    },
    SLOW,
  );

  test(
    "more than a page of workflows: Older and Newer follow the server's cursors",
    async () => {
      for (let i = 0; i < PAGED; i++) {
        await startApproval(server, "paging", { request: `item ${i}`, timeout: "1h" });
      }
      const rowIds = () =>
        page.$$eval("tr.wf-row", (rows) => rows.map((r) => r.getAttribute("data-id")));
      const api = async (query: string) =>
        (await v1(server, "GET", `/ui/api/workflows?namespace=paging&limit=50${query}`)) as {
          workflows: { workflowId: string }[];
          next: string | null;
        };
      const newest = await api("");
      const oldest = await api(`&cursor=${newest.next}`);
      expect(oldest.workflows).toHaveLength(PAGED - 50);

      await page.goto(`${server.url}/ui#/workflows?namespace=paging`);
      expect(await waitText("#page-info", { equals: `1–50 of ${PAGED}` })).toBeTruthy();
      expect(await rowIds()).toEqual(newest.workflows.map((w) => w.workflowId));
      expect(await page.$eval("#page-prev", (el) => el.getAttribute("disabled"))).not.toBeNull();

      await page.click("#page-next");
      await waitText("#page-info", { equals: `51–${PAGED} of ${PAGED}` });
      expect(await rowIds()).toEqual(oldest.workflows.map((w) => w.workflowId));
      expect(page.url()).toContain("cursor=");
      expect(await page.$eval("#page-next", (el) => el.getAttribute("disabled"))).not.toBeNull();

      await page.click("#page-prev");
      await waitText("#page-info", { equals: `1–50 of ${PAGED}` });
      expect(await rowIds()).toEqual(newest.workflows.map((w) => w.workflowId));
      expect(pageErrors).toEqual([]);
    },
    SLOW,
  );

  test(
    "a workflow whose id is not a UUID is followed live, by polling its history",
    async () => {
      const id = "purchase order/42";
      await v1(server, "POST", "/v1/workflows?namespace=default", {
        type: "approval",
        id,
        input: { request: "monitor", approvers: 2, timeout: "1h" },
      });
      await page.goto(`${server.url}/ui#/workflow/${encodeURIComponent(id)}?namespace=default`);
      await waitText("#wf-status", { equals: "Running" });
      await waitText("#live", { has: ["live (polling)"] });
      await page.evaluate(() => {
        window.marker = 7;
      });
      const signal = `/v1/workflows/${encodeURIComponent(id)}/signals/decision?namespace=default`;
      // Each signal sent by another client shows up without a reload.
      await v1(server, "POST", signal, { by: "carol", approved: true });
      await waitText("#timeline", { has: ["Signal decision", "carol"] });
      await v1(server, "POST", signal, { by: "dave", approved: true });
      await waitText("#timeline", { has: ["dave"] });
      await waitText("#wf-status", { equals: "Completed" });
      expect(await waitText("#wf-result", { has: ["approved"] })).toContain("dave");
      expect(await waitText("#live", { has: ["ended"] })).not.toContain("stopped");
      expect(await page.evaluate(() => window.marker)).toBe(7);
      expect(pageErrors).toEqual([]);
    },
    SLOW,
  );
});
