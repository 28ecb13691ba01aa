/**
 * Pure BIFs whose results the recorded fixture cannot pin down: output on
 * stdout, counters, VM-dependent system_info keys, and inputs too large to
 * record (deeply nested iolists, long list subtraction).
 */
import { describe, expect, setDefaultTimeout, test } from "bun:test";
import { displayText } from "../../../nifs/erlang/display-format.ts";
import { setIoSink } from "../../../nifs/lib/io-sink.ts";
import { PURE_BIF_NATIVES as erlangPureNatives } from "../../../nifs/registry.ts";
import { atom } from "../../../terms/atom.ts";
import { BitString, binaryFromString } from "../../../terms/binary.ts";
import { listFromArray, listToArray, stringToList } from "../../../terms/list.ts";
import { mapFromPairs } from "../../../terms/map.ts";
import { Cons, ExportFun, Float, NIL, Pid, type Term } from "../../../terms/term.ts";
import { ErlangError, type NativeFn, Process, VM } from "../../../vm/index.ts";
import { TEST_TIMEOUT_MS } from "../../timeouts.ts";

setDefaultTimeout(TEST_TIMEOUT_MS);

const natives = new Map<string, NativeFn>();
for (const mod of erlangPureNatives) {
  for (const [key, fn] of mod.functions) natives.set(`${mod.module}:${key}`, fn);
}
const proc = new Process(new VM({ log: () => {} }), new Pid(1), null);

function call(mfa: string, ...args: Term[]): Term {
  const fn = natives.get(mfa);
  if (fn === undefined) throw new Error(`no native ${mfa}`);
  return fn(proc, ...args) as Term;
}

function errorOf(mfa: string, ...args: Term[]): Term {
  try {
    call(mfa, ...args);
  } catch (e) {
    if (e instanceof ErlangError) return e.reason;
    throw e;
  }
  throw new Error(`${mfa} did not raise`);
}

describe("erlang:display/1", () => {
  // Each expected text is what `erlang:display/1` printed on OTP 25.
  const cases: [Term, string][] = [
    [stringToList("abc"), '"abc"'],
    [listFromArray([1, 2]), "[1,2]"],
    [binaryFromString("ab"), '<<"ab">>'],
    [new Float(1.5), "1.500000e+00"],
    [new Float(0.1), "1.000000e-01"],
    [new Float(-0), "-0.000000e+00"],
    [new Float(123.456), "1.234560e+02"],
    [mapFromPairs([[atom("a"), 1]]), "#{a=>1}"],
    [
      mapFromPairs([
        [1, NIL],
        [atom("b"), []],
      ]),
      "#{1=>[],b=>{}}",
    ],
    [new BitString(Uint8Array.of(0x20), 0, 3), "<<1:3>>"],
    [[atom("a"), stringToList("b c"), new Cons(97, atom("b"))], '{a,"b c",[97|b]}'],
    [atom("A b"), "'A b'"],
    [stringToList('a"b'), '"a\\"b"'],
    [stringToList("a\nb"), '"a\\nb"'],
    [stringToList("\t"), "[9]"],
    [listFromArray([1000]), "[1000]"],
    [binaryFromString("a\nb"), "<<97,10,98>>"],
    [new ExportFun(atom("erlang"), atom("abs"), 1), "fun erlang:abs/1"],
    [2n ** 70n, "1180591620717411303424"],
  ];
  for (const [t, text] of cases) test(text, () => expect(displayText(t)).toBe(text));

  test("prints the text and a newline on the VM's stdout, returns true", () => {
    const written: string[] = [];
    setIoSink(proc.vm, { stdout: (t) => written.push(t), stderr: () => {} });
    expect(call("erlang:display/1", [1, atom("x")])).toBe(atom("true"));
    expect(written).toEqual(["{1,x}\n"]);
  });
});

describe("unique_integer", () => {
  test("strictly increasing and positive for every option set", () => {
    const opts = [
      NIL,
      listFromArray([atom("monotonic")]),
      listFromArray([atom("positive")]),
      listFromArray([atom("monotonic"), atom("positive")]),
    ];
    let last = 0;
    for (let i = 0; i < 100; i++) {
      const v =
        i % 5 === 4
          ? call("erlang:unique_integer/0")
          : call("erlang:unique_integer/1", opts[i % 4]!);
      expect(typeof v).toBe("number");
      expect(v as number).toBeGreaterThan(last);
      last = v as number;
    }
  });

  test("each VM has its own counter (no state shared across VMs in one JS process)", () => {
    const fn = natives.get("erlang:unique_integer/0")!;
    const a = new Process(new VM({ log: () => {} }), new Pid(1), null);
    const b = new Process(new VM({ log: () => {} }), new Pid(1), null);
    expect([fn(a), fn(a), fn(b), fn(a), fn(b)]).toEqual([1, 2, 1, 3, 2]);
  });

  test("bad options are badarg", () => {
    expect(errorOf("erlang:unique_integer/1", listFromArray([atom("bogus")]))).toBe(atom("badarg"));
    expect(errorOf("erlang:unique_integer/1", atom("positive"))).toBe(atom("badarg"));
  });
});

describe("system_info", () => {
  test("single scheduler, live process count", () => {
    expect(call("erlang:system_info/1", atom("schedulers"))).toBe(1);
    expect(call("erlang:system_info/1", atom("schedulers_online"))).toBe(1);
    expect(call("erlang:system_info/1", atom("process_count"))).toBe(proc.vm.processes.size);
    expect(call("erlang:system_info/1", atom("atom_count"))).toBeGreaterThan(10);
  });
});

describe("large inputs", () => {
  // Left-nested iolists are what string builders produce; no recursion may overflow.
  const depth = 200_000;
  let deep: Term = NIL;
  for (let i = 0; i < depth; i++) deep = new Cons(deep, new Cons(97, NIL));

  test("deeply nested iolists flatten without recursion", () => {
    expect(call("erlang:iolist_size/1", deep)).toBe(depth);
    const b = call("erlang:iolist_to_binary/1", deep) as BitString;
    expect(b.size).toBe(depth * 8);
    expect(b.byteAt(depth - 1)).toBe(97);
    const v = listToArray(call("erlang:iolist_to_iovec/1", deep))!;
    expect(v.reduce<number>((n, x) => n + (x as BitString).size / 8, 0)).toBe(depth);
    expect((call("erlang:md5/1", deep) as BitString).size).toBe(128);
  });

  // No stopwatch: the size is the guard. Removing 100k elements from 200k
  // takes a fraction of a second when linear; a quadratic scan makes 10^10
  // comparisons, minutes of work, far past this test's timeout.
  test("-- on long lists is not quadratic", () => {
    const n = 200_000;
    const a = listFromArray(Array.from({ length: n }, (_, i) => i));
    const b = listFromArray(
      Array.from({ length: n }, (_, i) => n - 1 - i).filter((i) => i % 2 === 0),
    );
    const r = listToArray(call("erlang:--/2", a, b))!;
    expect(r.length).toBe(n / 2);
    expect(r[0]).toBe(1);
    expect(r.at(-1)).toBe(n - 1);
  }, 60_000);

  test("length of a long list, and ++ keeps the right operand", () => {
    const l = listFromArray(Array.from({ length: 100_000 }, () => 0));
    expect(call("erlang:length/1", l)).toBe(100_000);
    const tail = listFromArray([1]);
    let r = call("erlang:++/2", l, tail);
    for (let i = 0; i < 100_000; i++) r = (r as Cons).tail;
    expect(r).toBe(tail);
  });
});
