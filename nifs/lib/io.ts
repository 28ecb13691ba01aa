/**
 * `io`: writing to standard output (or standard error) of the VM's host, see
 * io-sink.ts, and to open files. Devices: `standard_io`, `user` and any pid
 * (our processes have no io servers, so a group leader pid means standard
 * output) go to stdout; `standard_error` goes to stderr; the pid of a file
 * opened without `raw` (an aion_file_io server) gets an io request, as on
 * BEAM. Reading (`get_line/2`, `get_chars/3`) and `setopts/2`, `getopts/1`
 * work on such files (and on any other io server pid); reading standard
 * input is not supported (`{error, enotsup}`).
 */

import { A, Atom, atom } from "../../terms/atom.ts";
import { binaryFromString } from "../../terms/binary.ts";
import { NIL, Pid, type Term } from "../../terms/term.ts";
import { defineNatives, type NativeModule, type Process, Trap } from "../../vm/index.ts";
import { isFileIoServer } from "../kernel/file-raw.ts";
import { cpsToText, decodeChardata } from "./chardata.ts";
import { fwrite } from "./io-format/format.ts";
import { prettyPrint } from "./io-format/pretty.ts";
import { writeTerm } from "./io-format/write.ts";
import { ioSink } from "./io-sink.ts";
import { at, badarg } from "./util.ts";

const AION_FILE_IO = atom("aion_file_io");

function emit(p: Process, device: Term, text: string): Term | Trap {
  if (device instanceof Pid && isFileIoServer(p.vm, device))
    return new Trap(AION_FILE_IO, atom("put_chars"), [device, binaryFromString(text)]);
  const sink = ioSink(p.vm);
  if (device instanceof Atom) {
    if (device.name === "standard_error") sink.stderr(text);
    else if (device.name === "standard_io" || device.name === "user") sink.stdout(text);
    else return badarg();
  } else if (device instanceof Pid) sink.stdout(text);
  else return badarg();
  return A.ok;
}

/** Text of chardata (binaries are UTF-8), or `badarg`. */
function chardata(t: Term): string {
  const d = decodeChardata(t);
  if (d.stop !== null) return badarg();
  return cpsToText(d.cps);
}

const stdio = (): Term => at("standard_io");

/** An io-protocol request to an io server pid; standard input cannot be read here. */
function ioRequest(device: Term, request: Term): Term | Trap {
  if (device instanceof Pid) return new Trap(AION_FILE_IO, atom("request"), [device, request]);
  if (device instanceof Atom) return [A.error, at("enotsup")];
  return badarg();
}

export const ioNatives: NativeModule = defineNatives("io", {
  "put_chars/1": (p, c) => emit(p, stdio(), chardata(c)),
  "put_chars/2": (p, d, c) => emit(p, d, chardata(c)),
  "nl/0": (p) => emit(p, stdio(), "\n"),
  "nl/1": (p, d) => emit(p, d, "\n"),
  "format/1": (p, f) => emit(p, stdio(), fwrite(f, NIL)),
  "format/2": (p, f, a) => emit(p, stdio(), fwrite(f, a)),
  "format/3": (p, d, f, a) => emit(p, d, fwrite(f, a)),
  "fwrite/1": (p, f) => emit(p, stdio(), fwrite(f, NIL)),
  "fwrite/2": (p, f, a) => emit(p, stdio(), fwrite(f, a)),
  "fwrite/3": (p, d, f, a) => emit(p, d, fwrite(f, a)),
  "write/1": (p, t) => emit(p, stdio(), writeTerm(t, -1, "latin1")),
  "write/2": (p, d, t) => emit(p, d, writeTerm(t, -1, "latin1")),
  "print/1": (p, t) => emit(p, stdio(), prettyPrint(t, 1, 80, -1, "latin1", true)),
  "print/2": (p, d, t) => emit(p, d, prettyPrint(t, 1, 80, -1, "latin1", true)),
  "get_line/2": (_p, d, prompt) => ioRequest(d!, [at("get_line"), at("unicode"), prompt!]),
  "get_chars/3": (_p, d, prompt, n) => ioRequest(d!, [at("get_chars"), at("unicode"), prompt!, n!]),
  "setopts/2": (_p, d, opts) => ioRequest(d!, [at("setopts"), opts!]),
  "getopts/1": (_p, d) => ioRequest(d!, at("getopts")),
  "columns/0": () => [A.error, at("enotsup")],
  "columns/1": () => [A.error, at("enotsup")],
});
