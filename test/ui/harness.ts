/**
 * The console's end-to-end harness: a real `aion serve` on loopback (port
 * 0, a bearer token, the approval example deployed) and a real headless
 * Chromium driven by puppeteer-core, both started and stopped by the test.
 * Chromium is the distribution's (/usr/bin/chromium); nothing is downloaded.
 */
import { chmodSync, existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Subprocess } from "bun";
import puppeteer, { type Browser } from "puppeteer-core";
import { aion, ROOT } from "../cli/helpers.ts";
import { readLines } from "../store/subprocess.ts";

/** Where the distribution puts Chromium (Debian's `chromium` package). */
export const CHROMIUM = process.env.AION_CHROMIUM ?? "/usr/bin/chromium";

/** Whether the browser tests can run here. */
export const haveChromium = existsSync(CHROMIUM);

/** The operator token the server is started with. */
export const TOKEN = "ui-test-token-0123456789abcdef";

/** A running `aion serve` with the console. */
export interface UiServer {
  readonly url: string;
  readonly dir: string;
  readonly process: Subprocess;
  stop(): Promise<void>;
}

/** Packages and deploys examples/approval into a fresh database, then serves it. */
export async function startUiServer(): Promise<UiServer> {
  const dir = mkdtempSync(join(tmpdir(), "aion-ui-"));
  const db = join(dir, "aion.db");
  const pkg = join(dir, "approval.aion");
  for (const args of [
    ["package", "examples/approval", "-o", pkg],
    ["deploy", pkg, "--db", db],
  ]) {
    const r = await aion(...args);
    if (r.code !== 0) throw new Error(`aion ${args.join(" ")}: ${r.stdout}${r.stderr}`);
  }
  const tokens = join(dir, "tokens.json");
  writeFileSync(
    tokens,
    JSON.stringify({
      tokens: [{ token: TOKEN, subject: "ui-e2e", namespaces: "*", deploy: true }],
    }),
  );
  chmodSync(tokens, 0o600);
  const p = Bun.spawn(
    [
      "bun",
      join(ROOT, "bin/aion.ts"),
      "serve",
      "--db",
      db,
      "--port",
      "0",
      "--tokens",
      tokens,
      "--activities",
      join(ROOT, "examples/approval/activities.ts"),
    ],
    { cwd: ROOT, stdout: "ignore", stderr: "pipe" },
  );
  let announced: (url: string) => void = () => {};
  const serving = new Promise<string>((resolve) => {
    announced = resolve;
  });
  // Read stderr to its end in the background, so the server never blocks on a full pipe.
  const stderr = readLines(p.stderr, (line) => {
    const m = /^aion serve: serving .* on (http:\/\/\S+) \(pid/.exec(line);
    if (m) announced(m[1]!);
  });
  const url = await Promise.race([serving, stderr.then(() => undefined)]);
  if (url === undefined) {
    throw new Error(`aion serve exited ${await p.exited}: ${(await stderr).join("\n")}`);
  }
  return {
    url,
    dir,
    process: p,
    stop: async () => {
      p.kill("SIGTERM");
      await p.exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Launches headless Chromium with a fresh profile and no network of its own. */
export async function launchChromium(profileDir: string): Promise<Browser> {
  return puppeteer.launch({
    executablePath: CHROMIUM,
    headless: true,
    userDataDir: profileDir,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

/** Calls the server's `/v1` API with the operator token. */
export async function v1(
  server: UiServer,
  method: "GET" | "POST",
  path: string,
  body?: unknown,
): Promise<unknown> {
  const res = await fetch(server.url + path, {
    method,
    headers: {
      authorization: `Bearer ${TOKEN}`,
      ...(method === "POST" ? { "content-type": "application/json" } : {}),
    },
    ...(method === "POST" ? { body: JSON.stringify(body ?? null) } : {}),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`);
  return text === "" ? null : JSON.parse(text);
}

/** Starts an approval workflow; resolves with its id. */
export async function startApproval(
  server: UiServer,
  namespace: string,
  input: Record<string, unknown>,
): Promise<string> {
  const r = (await v1(server, "POST", `/v1/workflows?namespace=${namespace}`, {
    type: "approval",
    input,
  })) as { workflowId: string };
  return r.workflowId;
}
