/**
 * Raw file descriptors over node:fs: the `aion_file` natives.
 *
 * `file:open(Name, [raw | _])` returns `{file_descriptor, aion_file, Id}`;
 * OTP's `file` module dispatches every call on such a tuple to the module in
 * its second element (`aion_file:read(Fd, N)`, `aion_file:position(Fd, At)`,
 * ...), so these natives serve both our `file` natives and OTP's `file.beam`.
 * The io server behind non-raw opens (nifs/stdlib/aion_file_io.erl) holds
 * one of these descriptors too.
 *
 * Descriptors belong to the VM that opened them (one table per Machine). They
 * reach the host, so the workflow sandbox refuses this module (it has no rule,
 * and natives without a rule are refused): a workflow cannot get here even
 * through aion_file_io's bytecode. Errors are OTP's `{error, Posix}`.
 */
import {
  closeSync,
  fdatasyncSync,
  fstatSync,
  fsyncSync,
  ftruncateSync,
  openSync,
  readSync,
  statSync,
  writeSync,
} from "node:fs";
import { A, Atom, atom } from "../../terms/atom.ts";
import { BitString, binaryFromBytes } from "../../terms/binary.ts";
import { listFromArray } from "../../terms/list.ts";
import { Cons, NIL, type Pid, type Term } from "../../terms/term.ts";
import { badarg, defineNatives, type Machine, type NativeModule } from "../../vm/index.ts";
import { ioToBitString } from "../erlang/iolist.ts";

const FD = atom("file_descriptor");
const AION_FILE = atom("aion_file");

interface OpenFile {
  readonly fd: number;
  position: number;
  readonly binary: boolean;
  readonly append: boolean;
}

const openFiles = new WeakMap<Machine, Map<number, OpenFile>>();

/**
 * The io servers aion_file_io runs, per VM, keyed by pid number (a pid term
 * is not one shared object), so io:format/3 and friends know to write to them.
 */
const ioServers = new WeakMap<Machine, Set<string>>();

const pidKey = (pid: Pid): string => `${pid.id}.${pid.serial}`;

/** Whether `pid` is an io server of an open file (see aion_file_io.erl). */
export function isFileIoServer(vm: Machine, pid: Pid): boolean {
  return pid.node === null && (ioServers.get(vm)?.has(pidKey(pid)) ?? false);
}

function ioServersOf(vm: Machine): Set<string> {
  let set = ioServers.get(vm);
  if (set === undefined) {
    set = new Set();
    ioServers.set(vm, set);
  }
  return set;
}

function filesOf(vm: Machine): Map<number, OpenFile> {
  let m = openFiles.get(vm);
  if (m === undefined) {
    m = new Map();
    openFiles.set(vm, m);
  }
  return m;
}

/** Whether `t` is one of our descriptor tuples (open or not). */
export function isDescriptor(t: Term): boolean {
  return Array.isArray(t) && t.length === 3 && t[0] === FD && t[1] === AION_FILE;
}

function descriptor(vm: Machine, t: Term): OpenFile {
  if (isDescriptor(t)) {
    const id = (t as Term[])[2];
    const f = typeof id === "number" ? filesOf(vm).get(id) : undefined;
    if (f !== undefined) return f;
  }
  return badarg();
}

/** `{error, Code}` for a node:fs failure (its `code` is the POSIX name OTP uses too). */
export function posixError(e: unknown): Term {
  const code = (e as { code?: unknown }).code;
  if (typeof code === "string") return [A.error, atom(code.toLowerCase())];
  throw e;
}

export function fsCall(f: () => Term): Term {
  try {
    return f();
  } catch (e) {
    return posixError(e);
  }
}

/** A file name: a string, a binary, an atom or a deep list of them, as OTP accepts. */
export function fileName(t: Term): string {
  if (t instanceof Atom) return t.name;
  if (t instanceof BitString) return new TextDecoder().decode(t.bytes());
  let out = "";
  const walk = (x: Term): boolean => {
    for (; x instanceof Cons; x = x.tail) {
      const h = x.head;
      if (typeof h === "number") out += String.fromCodePoint(h);
      else if (h instanceof Atom) out += h.name;
      else if (h instanceof BitString) out += new TextDecoder().decode(h.bytes());
      else if (!walk(h)) return false;
    }
    return x === NIL;
  };
  return walk(t) ? out : badarg();
}

/** The elements of a proper list, else `badarg`. */
export function listItems(t: Term): Term[] {
  const out: Term[] = [];
  let l = t;
  for (; l instanceof Cons; l = l.tail) out.push(l.head);
  return l === NIL ? out : badarg();
}

/** `open(Name, Modes)`: read, write, append, exclusive, binary; other modes are accepted as OTP's no-ops. */
export function openRaw(vm: Machine, name: Term, modes: Term): Term {
  const path = fileName(name);
  const list = listItems(modes);
  const has = (m: string) => list.includes(atom(m));
  const write = has("write") || has("append") || has("exclusive");
  const read = has("read") || !write;
  let flags = read && write ? "r+" : write ? "w" : "r";
  if (has("append")) flags = read ? "a+" : "a";
  if (has("exclusive")) flags = "wx";
  if (read && write && !has("append") && !has("exclusive")) {
    // OTP's [read, write] creates a missing file; node's r+ does not.
    try {
      statSync(path);
    } catch {
      flags = "w+";
    }
  }
  return fsCall(() => {
    const fd = openSync(path, flags);
    filesOf(vm).set(fd, { fd, position: 0, binary: has("binary"), append: has("append") });
    return [A.ok, [FD, AION_FILE, fd]];
  });
}

function data(f: OpenFile, bytes: Uint8Array): Term {
  return f.binary ? binaryFromBytes(bytes) : listFromArray([...bytes]);
}

function read(vm: Machine, t: Term, n: Term): Term {
  const f = descriptor(vm, t);
  if (typeof n !== "number" || n < 0) return badarg();
  return fsCall(() => {
    const buf = new Uint8Array(n);
    const got = readSync(f.fd, buf, 0, n, f.position);
    if (got === 0 && n > 0) return atom("eof");
    f.position += got;
    return [A.ok, data(f, buf.subarray(0, got))];
  });
}

function readLine(vm: Machine, t: Term): Term {
  const f = descriptor(vm, t);
  return fsCall(() => {
    const parts: number[] = [];
    const buf = new Uint8Array(4096);
    for (;;) {
      const got = readSync(f.fd, buf, 0, buf.length, f.position + parts.length);
      if (got === 0) break;
      const nl = buf.subarray(0, got).indexOf(10);
      if (nl >= 0) {
        parts.push(...buf.subarray(0, nl + 1));
        break;
      }
      parts.push(...buf.subarray(0, got));
    }
    if (parts.length === 0) return atom("eof");
    f.position += parts.length;
    // OTP's read_line turns a CRLF ending into LF.
    const n = parts.length;
    if (n >= 2 && parts[n - 1] === 10 && parts[n - 2] === 13) parts.splice(n - 2, 1);
    return [A.ok, data(f, new Uint8Array(parts))];
  });
}

function write(vm: Machine, t: Term, d: Term): Term {
  const f = descriptor(vm, t);
  const bytes = ioToBitString(d, false)?.bytes() ?? badarg();
  return fsCall(() => {
    if (f.append) {
      writeSync(f.fd, bytes);
      f.position = fstatSync(f.fd).size;
    } else f.position += writeSync(f.fd, bytes, 0, bytes.length, f.position);
    return A.ok;
  });
}

/** The absolute offset `at` names (`bof`/`cur`/`eof`, `{Where, Offset}` or a number). */
function seekTarget(f: OpenFile, at: Term): number {
  if (typeof at === "number") return at;
  const base = (where: Term): number => {
    if (where === atom("bof")) return 0;
    if (where === atom("cur")) return f.position;
    if (where === atom("eof")) return fstatSync(f.fd).size;
    return badarg();
  };
  if (at instanceof Atom) return base(at);
  if (Array.isArray(at) && at.length === 2 && typeof at[1] === "number")
    return base(at[0]!) + at[1];
  return badarg();
}

function position(vm: Machine, t: Term, at: Term): Term {
  const f = descriptor(vm, t);
  return fsCall(() => {
    const to = seekTarget(f, at);
    if (!Number.isInteger(to) || to < 0) return [A.error, atom("einval")];
    f.position = to;
    return [A.ok, to];
  });
}

function close(vm: Machine, t: Term): Term {
  const f = descriptor(vm, t);
  filesOf(vm).delete(f.fd);
  return fsCall(() => {
    closeSync(f.fd);
    return A.ok;
  });
}

function sync(vm: Machine, t: Term, dataOnly: boolean): Term {
  const f = descriptor(vm, t);
  return fsCall(() => {
    if (dataOnly) fdatasyncSync(f.fd);
    else fsyncSync(f.fd);
    return A.ok;
  });
}

export const fileRawNatives: NativeModule = defineNatives("aion_file", {
  // Called by an aion_file_io server as it starts, so `io` output to its pid goes there.
  "io_server/0": (p) => {
    ioServersOf(p.vm).add(pidKey(p.pid));
    return A.ok;
  },
  // ... and as it stops.
  "io_server_done/0": (p) => {
    ioServersOf(p.vm).delete(pidKey(p.pid));
    return A.ok;
  },
  "open/2": (p, name, modes) => openRaw(p.vm, name!, modes!),
  "read/2": (p, fd, n) => read(p.vm, fd!, n!),
  "read_line/1": (p, fd) => readLine(p.vm, fd!),
  "write/2": (p, fd, d) => write(p.vm, fd!, d!),
  "position/2": (p, fd, at) => position(p.vm, fd!, at!),
  "pread/3": (p, fd, at, n) => {
    // A positioned read leaves the descriptor's position alone, as pread(2) does.
    const f = descriptor(p.vm, fd!);
    const keep = f.position;
    const moved = position(p.vm, fd!, at!);
    const out = Array.isArray(moved) && moved[0] === A.ok ? read(p.vm, fd!, n!) : moved;
    f.position = keep;
    return out;
  },
  "pwrite/3": (p, fd, at, d) => {
    const moved = position(p.vm, fd!, at!);
    return Array.isArray(moved) && moved[0] === A.ok ? write(p.vm, fd!, d!) : moved;
  },
  "truncate/1": (p, fd) => {
    const f = descriptor(p.vm, fd!);
    return fsCall(() => {
      ftruncateSync(f.fd, f.position);
      return A.ok;
    });
  },
  "sync/1": (p, fd) => sync(p.vm, fd!, false),
  "datasync/1": (p, fd) => sync(p.vm, fd!, true),
  "advise/4": (p, fd) => {
    descriptor(p.vm, fd!);
    return A.ok;
  },
  "close/1": (p, fd) => close(p.vm, fd!),
});
