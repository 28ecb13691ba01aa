/**
 * `file` basics over node:fs, for `aion run` (a developer's own code, the
 * OTP compiler): read_file, write_file, consult, list_dir, read_file_info's
 * size and type, del_file, make_dir, get_cwd, native_name_encoding, and raw
 * descriptors (open/read/write/close) as `{file_descriptor, aion_file, Id}`.
 *
 * These reach the host, so the workflow sandbox refuses the whole `file`
 * module (nifs/workflow-sandbox.ts): workflow code never gets here. Errors
 * are OTP's `{error, Posix}` atoms (enoent, eacces, eisdir...). A descriptor
 * is not an io device: `io:get_line(Fd)` and `io:format(Fd, ...)` are not
 * supported, which is why `epp` (and so `compile:file`) cannot read through it.
 */

import {
  closeSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  readSync,
  statSync,
  unlinkSync,
  writeFileSync,
  writeSync,
} from "node:fs";
import { A, Atom, atom } from "../../terms/atom.ts";
import { BitString, binaryFromBytes } from "../../terms/binary.ts";
import { listFromArray, stringToList } from "../../terms/list.ts";
import { parseTerm, TermSyntaxError } from "../../terms/parse.ts";
import { Cons, NIL, type Term } from "../../terms/term.ts";
import { badarg, defineNatives, type Machine, type NativeModule } from "../../vm/index.ts";
import { ioToBitString } from "../erlang/iolist.ts";

/** The bytes of an iolist, or null when it is not one. */
function iolistBytes(t: Term): Uint8Array | null {
  return ioToBitString(t, false)?.bytes() ?? null;
}

/** A flat or deep character list as a string, or null. */
function flattenChars(t: Term): string | null {
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
  return walk(t) ? out : null;
}

const FD = atom("file_descriptor");
const AION_FILE = atom("aion_file");

/** `{error, Code}` for a node:fs failure (its `code` is the POSIX name OTP uses too). */
function posixError(e: unknown): Term {
  const code = (e as { code?: unknown }).code;
  if (typeof code === "string") return [A.error, atom(code.toLowerCase())];
  throw e;
}

function fsCall(f: () => Term): Term {
  try {
    return f();
  } catch (e) {
    return posixError(e);
  }
}

/** A file name: a string, a binary, an atom or a deep list of them, as OTP accepts. */
function fileName(t: Term): string {
  if (t instanceof Atom) return t.name;
  if (t instanceof BitString) return new TextDecoder().decode(t.bytes());
  return flattenChars(t) ?? badarg();
}

interface OpenFile {
  readonly fd: number;
  position: number;
  readonly binary: boolean;
}

const openFiles = new WeakMap<Machine, Map<number, OpenFile>>();

function filesOf(vm: Machine): Map<number, OpenFile> {
  let m = openFiles.get(vm);
  if (m === undefined) {
    m = new Map();
    openFiles.set(vm, m);
  }
  return m;
}

function descriptor(vm: Machine, t: Term): OpenFile {
  if (Array.isArray(t) && t.length === 3 && t[0] === FD && t[1] === AION_FILE) {
    const f = typeof t[2] === "number" ? filesOf(vm).get(t[2]) : undefined;
    if (f !== undefined) return f;
    return badarg();
  }
  return badarg();
}

/** `open(Name, Modes)`: read, write, append, exclusive, binary; other modes are accepted as OTP's no-ops. */
function open(vm: Machine, name: Term, modes: Term): Term {
  const path = fileName(name);
  const list: Term[] = [];
  for (let l = modes; l !== NIL; l = (l as Cons).tail) {
    if (!(l instanceof Cons)) return badarg();
    list.push(l.head);
  }
  const has = (m: string) => list.includes(atom(m));
  const write = has("write") || has("append") || has("exclusive");
  const read = has("read") || !write;
  let flags = read && write ? "r+" : write ? "w" : "r";
  if (has("append")) flags = read ? "a+" : "a";
  if (has("exclusive")) flags = "wx";
  if (read && write && !has("append")) {
    // OTP's [read, write] creates a missing file; node's r+ does not.
    try {
      statSync(path);
    } catch {
      flags = "w+";
    }
  }
  return fsCall(() => {
    const fd = openSync(path, flags);
    filesOf(vm).set(fd, { fd, position: 0, binary: has("binary") });
    return [A.ok, [FD, AION_FILE, fd]];
  });
}

function read(vm: Machine, t: Term, n: Term): Term {
  const f = descriptor(vm, t);
  if (typeof n !== "number" || n < 0) return badarg();
  return fsCall(() => {
    const buf = new Uint8Array(n);
    const got = readSync(f.fd, buf, 0, n, f.position);
    if (got === 0 && n > 0) return atom("eof");
    f.position += got;
    const bytes = buf.subarray(0, got);
    return [A.ok, f.binary ? binaryFromBytes(bytes) : listFromArray([...bytes])];
  });
}

function write(vm: Machine, t: Term, data: Term): Term {
  const f = descriptor(vm, t);
  const bytes = iolistBytes(data) ?? badarg();
  return fsCall(() => {
    f.position += writeSync(f.fd, bytes, 0, bytes.length, f.position);
    return A.ok;
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

/**
 * `consult(Name)`: the file's terms, each ended by a dot and white space.
 * Read with the project's term-literal parser (terms/parse.ts), so `%`
 * comments and what that parser does not know give `{error, {Line, Mod, Msg}}`-
 * shaped errors less precise than OTP's.
 */
function consult(name: Term): Term {
  return fsCall(() => {
    const text = readFileSync(fileName(name), "utf8");
    const chunks = text
      .split("\n")
      .map((l) => l.replace(/^\s*%.*$/, ""))
      .join("\n")
      .split(/\.(?:\s+|$)/)
      .filter((c) => c.trim() !== "");
    try {
      return [A.ok, listFromArray(chunks.map((c) => parseTerm(c)))];
    } catch (e) {
      if (e instanceof TermSyntaxError)
        return [A.error, [0, atom("erl_parse"), stringToList(e.message)]];
      throw e;
    }
  });
}

function fileInfo(name: Term): Term {
  return fsCall(() => {
    const s = statSync(fileName(name));
    const type = s.isDirectory() ? "directory" : s.isFile() ? "regular" : "other";
    // #file_info{size, type, access, atime, mtime, ctime, mode, links, major_device,
    //            minor_device, inode, uid, gid}: the fields a compiler or build tool reads.
    const t = (d: Date): Term => {
      const u = (n: number) => n;
      return [
        [u(d.getUTCFullYear()), u(d.getUTCMonth() + 1), u(d.getUTCDate())],
        [u(d.getUTCHours()), u(d.getUTCMinutes()), u(d.getUTCSeconds())],
      ];
    };
    const info: Term[] = [
      atom("file_info"),
      s.size,
      atom(type),
      atom("read_write"),
      t(s.atime),
      t(s.mtime),
      t(s.ctime),
      s.mode,
      s.nlink,
      0,
      0,
      s.ino,
      s.uid,
      s.gid,
    ];
    return [A.ok, info];
  });
}

export const fileNatives: NativeModule = defineNatives("file", {
  "native_name_encoding/0": () => atom("utf8"),
  "read_file/1": (_p, name) =>
    fsCall(() => [A.ok, binaryFromBytes(new Uint8Array(readFileSync(fileName(name!))))]),
  "write_file/2": (_p, name, data) => {
    const bytes = iolistBytes(data!) ?? badarg();
    return fsCall(() => {
      writeFileSync(fileName(name!), bytes);
      return A.ok;
    });
  },
  "write_file/3": (_p, name, data, modes) => {
    const bytes = iolistBytes(data!) ?? badarg();
    const append = modes instanceof Cons && [...iterate(modes)].includes(atom("append"));
    return fsCall(() => {
      writeFileSync(fileName(name!), bytes, { flag: append ? "a" : "w" });
      return A.ok;
    });
  },
  "list_dir/1": (_p, name) =>
    fsCall(() => [A.ok, listFromArray(readdirSync(fileName(name!)).map((f) => stringToList(f)))]),
  "read_file_info/1": (_p, name) => fileInfo(name!),
  "read_file_info/2": (_p, name, _opts) => fileInfo(name!),
  "del_file/1": (_p, name) =>
    fsCall(() => {
      unlinkSync(fileName(name!));
      return A.ok;
    }),
  "make_dir/1": (_p, name) =>
    fsCall(() => {
      mkdirSync(fileName(name!));
      return A.ok;
    }),
  "get_cwd/0": () => [A.ok, stringToList(process.cwd())],
  "open/2": (p, name, modes) => open(p.vm, name!, modes!),
  "read/2": (p, fd, n) => read(p.vm, fd!, n!),
  "write/2": (p, fd, data) => write(p.vm, fd!, data!),
  "close/1": (p, fd) => close(p.vm, fd!),
  "consult/1": (_p, name) => consult(name!),
});

function* iterate(l: Term): Generator<Term> {
  for (let x = l; x instanceof Cons; x = x.tail) yield x.head;
}
