/**
 * `file` basics over node:fs, for `aion run` (a developer's own code, the
 * OTP compiler): read_file, write_file, consult, list_dir, read_file_info's
 * size and type, del_file, make_dir, get_cwd, native_name_encoding, and raw
 * open files: `open/2` with `raw` gives a descriptor `{file_descriptor,
 * aion_file, Id}` (nifs/kernel/file-raw.ts), without it an io server process
 * (nifs/stdlib/aion_file_io.erl) speaking the io protocol, as OTP's
 * file_io_server does, so `io:get_line/2`, `io:scan_erl_form` (epp, and so
 * `compile:file/2`) and `io:format/3` work on it. `read`, `write`, `close`,
 * `position`, `pread`, `pwrite`, `read_line`, `truncate`, `sync` take either.
 *
 * These reach the host, so the workflow sandbox refuses the whole `file`
 * module (nifs/workflow-sandbox.ts): workflow code never gets here. Errors
 * are OTP's `{error, Posix}` atoms (enoent, eacces, eisdir...).
 */

import {
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmdirSync,
  statSync,
  unlinkSync,
  writeFileSync,
} from "node:fs";
import { A, atom } from "../../terms/atom.ts";
import { binaryFromBytes } from "../../terms/binary.ts";
import { listFromArray, stringToList } from "../../terms/list.ts";
import { parseTerm, TermSyntaxError } from "../../terms/parse.ts";
import { Cons, Pid, type Term } from "../../terms/term.ts";
import {
  badarg,
  defineNatives,
  type NativeModule,
  type NativeResult,
  type Process,
  Trap,
} from "../../vm/index.ts";
import { ioToBitString } from "../erlang/iolist.ts";
import { fileName, fileRawNatives, fsCall, isDescriptor, listItems, openRaw } from "./file-raw.ts";

/** The bytes of an iolist, or null when it is not one. */
function iolistBytes(t: Term): Uint8Array | null {
  return ioToBitString(t, false)?.bytes() ?? null;
}

const AION_FILE_IO = atom("aion_file_io");

/**
 * A call on an open file: a raw descriptor goes to its `aion_file` native, an
 * io-device pid to the io server's client function in aion_file_io.erl (a
 * Trap: the request waits for the server's reply), anything else is `badarg`.
 */
function onFile(p: Process, name: string, args: Term[]): NativeResult {
  const dev = args[0]!;
  if (isDescriptor(dev)) {
    const native = fileRawNatives.functions.get(`${name}/${args.length}`);
    return native!(p, ...args);
  }
  if (dev instanceof Pid) return new Trap(AION_FILE_IO, atom(name), args);
  return badarg();
}

/** `open(Name, Modes)`: a raw descriptor with `raw`, else an io server process (as OTP). */
function open(p: Process, name: Term, modes: Term): NativeResult {
  const list = listItems(modes);
  if (list.includes(atom("raw"))) return openRaw(p.vm, name, modes);
  fileName(name);
  return new Trap(AION_FILE_IO, atom("open"), [name, modes]);
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
  "delete/1": (_p, name) =>
    fsCall(() => {
      unlinkSync(fileName(name!));
      return A.ok;
    }),
  "delete/2": (_p, name, _opts) =>
    fsCall(() => {
      unlinkSync(fileName(name!));
      return A.ok;
    }),
  "rename/2": (_p, from, to) =>
    fsCall(() => {
      renameSync(fileName(from!), fileName(to!));
      return A.ok;
    }),
  "del_dir/1": (_p, name) =>
    fsCall(() => {
      rmdirSync(fileName(name!));
      return A.ok;
    }),
  "make_dir/1": (_p, name) =>
    fsCall(() => {
      mkdirSync(fileName(name!));
      return A.ok;
    }),
  "get_cwd/0": () => [A.ok, stringToList(process.cwd())],
  "open/2": (p, name, modes) => open(p, name!, modes!),
  "read/2": (p, fd, n) => onFile(p, "read", [fd!, n!]),
  "read_line/1": (p, fd) => onFile(p, "read_line", [fd!]),
  "write/2": (p, fd, data) => onFile(p, "write", [fd!, data!]),
  "position/2": (p, fd, at) => onFile(p, "position", [fd!, at!]),
  "pread/3": (p, fd, at, n) => onFile(p, "pread", [fd!, at!, n!]),
  "pwrite/3": (p, fd, at, data) => onFile(p, "pwrite", [fd!, at!, data!]),
  "truncate/1": (p, fd) => onFile(p, "truncate", [fd!]),
  "sync/1": (p, fd) => onFile(p, "sync", [fd!]),
  "datasync/1": (p, fd) => onFile(p, "datasync", [fd!]),
  "close/1": (p, fd) => onFile(p, "close", [fd!]),
  "consult/1": (_p, name) => consult(name!),
});

function* iterate(l: Term): Generator<Term> {
  for (let x = l; x instanceof Cons; x = x.tail) yield x.head;
}
