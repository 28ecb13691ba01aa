/**
 * The kernel's `file` basics (nifs/kernel/file.ts) for `aion run`: they work
 * on a plain runtime, and the workflow sandbox refuses every one of them.
 */
import { afterAll, expect, setDefaultTimeout, test } from "bun:test";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createRuntime } from "../../nifs/index.ts";
import { workflowSandbox } from "../../nifs/workflow-sandbox.ts";
import { atom } from "../../terms/atom.ts";
import { binaryFromString } from "../../terms/binary.ts";
import { formatW } from "../../terms/format.ts";
import { listFromArray, stringToList } from "../../terms/list.ts";
import type { Term } from "../../terms/term.ts";
import { ManualClock, type Outcome } from "../../vm/index.ts";
import { TEST_TIMEOUT_MS } from "../timeouts.ts";

setDefaultTimeout(TEST_TIMEOUT_MS);

const dir = mkdtempSync(join(tmpdir(), "aion-file-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const rt = createRuntime({ clock: new ManualClock(), log: () => {} });
const text = (o: Outcome) =>
  o.kind === "value"
    ? formatW(o.value)
    : o.kind === "exception"
      ? `${o.cls} ${formatW(o.reason)}`
      : o.kind;
const file = (f: string, ...args: Term[]) => text(rt.callSync("file", f, args));
const path = (n: string) => stringToList(join(dir, n));

test("write_file, read_file, list_dir, del_file and their errors", () => {
  expect(file("write_file", path("a.txt"), listFromArray([104, binaryFromString("i")]))).toBe("ok");
  expect(readFileSync(join(dir, "a.txt"), "utf8")).toBe("hi");
  expect(file("read_file", path("a.txt"))).toBe("{ok,<<104,105>>}");
  expect(file("list_dir", stringToList(dir))).toBe(
    '{ok,["a.txt"]}'.replace('"a.txt"', "[97,46,116,120,116]"),
  );
  expect(file("read_file", path("missing"))).toBe("{error,enoent}");
  expect(file("del_file", path("a.txt"))).toBe("ok");
  expect(file("del_file", path("a.txt"))).toBe("{error,enoent}");
  expect(file("native_name_encoding")).toBe("utf8");
});

test("open, write, read, close on a raw descriptor", () => {
  const o = rt.callSync("file", "open", [
    path("b.bin"),
    listFromArray([atom("write"), atom("binary"), atom("raw")]),
  ]);
  expect(o.kind).toBe("value");
  const fd = (o as { value: Term[] }).value[1]!;
  expect(file("write", fd, binaryFromString("abc"))).toBe("ok");
  expect(file("close", fd)).toBe("ok");
  const r = rt.callSync("file", "open", [
    path("b.bin"),
    listFromArray([atom("read"), atom("binary"), atom("raw")]),
  ]);
  const rfd = (r as { value: Term[] }).value[1]!;
  expect(file("read", rfd, 2)).toBe("{ok,<<97,98>>}");
  expect(file("read", rfd, 5)).toBe("{ok,<<99>>}");
  expect(file("read", rfd, 5)).toBe("eof");
  expect(file("close", rfd)).toBe("ok");
  expect(file("close", rfd)).toStartWith("error badarg");
});

test("consult reads dot-terminated terms", () => {
  writeFileSync(join(dir, "c.config"), '% a comment\n{a, 1}.\n[x, "y"].\n');
  expect(file("consult", path("c.config"))).toBe("{ok,[{a,1},[x,[121]]]}");
});

test("the workflow sandbox refuses file access", () => {
  const sandboxed = createRuntime({
    clock: new ManualClock(),
    log: () => {},
    sandbox: workflowSandbox(),
  });
  for (const [f, args] of [
    ["read_file", [path("x")]],
    ["write_file", [path("x"), binaryFromString("no")]],
    ["list_dir", [stringToList(dir)]],
    ["open", [path("x"), listFromArray([atom("write")])]],
    ["consult", [path("x")]],
  ] as const) {
    const o = sandboxed.callSync("file", f, [...args]);
    expect(text(o)).toBe(`error {sandbox,{file,${f},${args.length}}}`);
  }
});

test("a workflow-sandboxed process cannot open a file through the io server or the raw natives", () => {
  writeFileSync(join(dir, "secret.txt"), "top secret\n");
  const sandboxed = createRuntime({
    clock: new ManualClock(),
    log: () => {},
    sandbox: workflowSandbox(),
  });
  const secret = path("secret.txt");
  const read = listFromArray([atom("read")]);
  // file:open/2 itself is refused...
  expect(text(sandboxed.callSync("file", "open", [secret, read]))).toBe(
    "error {sandbox,{file,open,2}}",
  );
  // ...and so are the io server's bytecode's natives: its process dies before opening anything.
  const viaServer = text(sandboxed.callSync("aion_file_io", "open", [secret, read]));
  expect(viaServer).toStartWith("{error,{{sandbox,{aion_file,open,2}}");
  for (const [f, args] of [
    ["open", [secret, read]],
    ["read", [listFromArray([atom("file_descriptor"), atom("aion_file"), 3]), 10]],
    ["io_server", []],
  ] as const) {
    const o = sandboxed.callSync("aion_file", f, [...args]);
    expect(text(o)).toBe(`error {sandbox,{aion_file,${f},${args.length}}}`);
  }
  expect(text(sandboxed.callSync("io", "get_line", [secret, listFromArray([])]))).not.toContain(
    "secret",
  );
});

test("file:open/2 without raw gives an io server pid owned by the opener, closed when it ends", () => {
  writeFileSync(join(dir, "lines.txt"), "one\ntwo\n");
  const o = rt.callSync("file", "open", [path("lines.txt"), listFromArray([atom("read")])]);
  const dev = (o as { value: Term[] }).value[1]!;
  expect(formatW(dev)).toStartWith("<");
  // The calling process has ended, so (as on BEAM) the server closed the file and stopped:
  // io requests get {error, terminated}, and closing a file whose server is gone is ok.
  expect(text(rt.callSync("io", "get_line", [dev, listFromArray([])]))).toBe("{error,terminated}");
  expect(file("read", dev, 2)).toBe("{error,terminated}");
  expect(file("close", dev)).toBe("ok");
});
