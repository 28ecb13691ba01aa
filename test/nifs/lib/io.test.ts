/** io: output goes to the VM's sink; rand's process-dictionary state. */
import { describe, expect, setDefaultTimeout, test } from "bun:test";
import { setIoSink } from "../../../nifs/lib/io-sink.ts";
import { atom } from "../../../terms/atom.ts";
import { binaryFromString } from "../../../terms/binary.ts";
import { formatW } from "../../../terms/format.ts";
import { listFromArray, stringToList } from "../../../terms/list.ts";
import { Float } from "../../../terms/term.ts";
import { ErlangError } from "../../../vm/index.ts";
import { TEST_TIMEOUT_MS } from "../../timeouts.ts";
import { callIn, newProcess } from "./helpers.ts";

setDefaultTimeout(TEST_TIMEOUT_MS);

describe("io", () => {
  test("put_chars, format, nl write to the sink", () => {
    const p = newProcess();
    const out: string[] = [];
    const err: string[] = [];
    setIoSink(p.vm, { stdout: (t) => out.push(t), stderr: (t) => err.push(t) });
    callIn(p, "io:put_chars", listFromArray([binaryFromString("héllo"), stringToList(" wörld")]));
    callIn(p, "io:nl");
    callIn(
      p,
      "io:format",
      stringToList("~p ~s~n"),
      listFromArray([listFromArray([1, atom("a")]), binaryFromString("x")]),
    );
    callIn(
      p,
      "io:format",
      atom("standard_error"),
      stringToList("e~w"),
      listFromArray([new Float(1.5)]),
    );
    callIn(p, "io:put_chars", atom("standard_io"), binaryFromString("😀"));
    expect(out.join("")).toBe("héllo wörld\n[1,a] x\n😀");
    expect(err.join("")).toBe("e1.5");
  });
  test("bad chardata is badarg", () => {
    const p = newProcess();
    setIoSink(p.vm, { stdout: () => {}, stderr: () => {} });
    let reason = "";
    try {
      callIn(p, "io:put_chars", listFromArray([atom("x")]));
    } catch (e) {
      if (e instanceof ErlangError) reason = formatW(e.reason);
    }
    expect(reason).toBe("badarg");
  });
});

describe("rand process state", () => {
  test("seeded uniform/0,1 follow the exsss stream", () => {
    const p = newProcess();
    callIn(p, "rand:seed", atom("exsss"), 42);
    const xs = [
      callIn(p, "rand:uniform"),
      callIn(p, "rand:uniform"),
      callIn(p, "rand:uniform", 100),
    ];
    // Recorded from OTP 25: rand:seed(exsss, 42), uniform(), uniform(), uniform(100).
    expect(xs.map(formatW)).toEqual(["0.3672301478324621", "0.899364294071664", "15"]);
  });
  test("unseeded processes get a random seed", () => {
    const p = newProcess();
    const x = callIn(p, "rand:uniform") as Float;
    expect(x.value >= 0 && x.value < 1).toBe(true);
    expect(p.dict.get(atom("rand_seed"))).toBeDefined();
  });
});
