/**
 * `os`: time, environment and platform queries. Times come from the VM's
 * clock (so a ManualClock controls them); `native` is nanoseconds as on
 * Linux. Environment changes (`putenv`/`unsetenv`) affect the Bun process.
 */

import { A } from "../../terms/atom.ts";
import { listFromArray, stringToList } from "../../terms/list.ts";
import type { Term } from "../../terms/term.ts";
import { defineNatives, type NativeModule, type Process } from "../../vm/index.ts";
import { msInUnit } from "../erlang/time-units.ts";
import { chardataText } from "./chardata.ts";
import { at, badarg } from "./util.ts";

/** Milliseconds (fractional) as an integer count of `unit`. */
function inUnit(ms: number, unit: Term): Term {
  return msInUnit(ms, unit);
}

function nameArg(t: Term): string {
  try {
    return chardataText(t);
  } catch {
    return badarg();
  }
}

function env(): Record<string, string | undefined> {
  return process.env;
}

function timestamp(p: Process): Term {
  const us = Math.floor(p.vm.clock.wallNow() * 1000);
  return [Math.floor(us / 1e12), Math.floor(us / 1e6) % 1e6, us % 1e6];
}

export const osNatives: NativeModule = defineNatives("os", {
  "system_time/0": (p) => inUnit(p.vm.clock.wallNow(), at("native")),
  "system_time/1": (p, u) => inUnit(p.vm.clock.wallNow(), u),
  "perf_counter/0": (p) => inUnit(p.vm.clock.now(), at("native")),
  "perf_counter/1": (p, u) => inUnit(p.vm.clock.now(), u),
  "timestamp/0": (p) => timestamp(p),
  "getenv/0": () =>
    listFromArray(
      Object.entries(env())
        .filter(([, v]) => v !== undefined)
        .map(([k, v]) => stringToList(`${k}=${v}`)),
    ),
  "getenv/1": (_p, n) => {
    const v = env()[nameArg(n)];
    return v === undefined ? A.false : stringToList(v);
  },
  "getenv/2": (_p, n, d) => {
    const v = env()[nameArg(n)];
    return v === undefined ? d : stringToList(v);
  },
  "putenv/2": (_p, n, v) => {
    env()[nameArg(n)] = nameArg(v);
    return A.true;
  },
  "unsetenv/1": (_p, n) => {
    delete env()[nameArg(n)];
    return A.true;
  },
  "type/0": () => [at("unix"), at(process.platform === "darwin" ? "darwin" : process.platform)],
  "getpid/0": () => stringToList(String(process.pid)),
  "version/0": () => [5, 15, 0],
});
