/**
 * `uri_string` (RFC 3986): parse/1 into maps like OTP's (keys only for the
 * components present; `path` always; `port` an integer or `undefined`),
 * recompose/1, dissect_query/1, compose_query/1,2, normalize/1,2,
 * resolve/2,3, percent_decode/1, quote/1,2, unquote/1.
 *
 * Results keep the input's type (lists of characters or binaries). Parse
 * errors are `{error, invalid_uri, [Char]}` with the offending character; as
 * in OTP, a string with a valid scheme that fails later is re-read as a
 * relative reference, whose first segment then fails on `":"`.
 */

import { A } from "../../terms/atom.ts";
import { BitString, binaryFromBytes } from "../../terms/binary.ts";
import { MapTerm, mapFromPairs } from "../../terms/map.ts";
import { Cons, NIL, type Term } from "../../terms/term.ts";
import { defineNatives, type NativeModule } from "../../vm/index.ts";
import { cpsToList, cpsToUtf8, decodeChardata, textToCps } from "./chardata.ts";
import { at, badarg, fclause, listArg } from "./util.ts";

interface Uri {
  scheme?: string;
  userinfo?: string;
  host?: string;
  port?: number | null;
  path: string;
  query?: string;
  fragment?: string;
}

class Bad extends Error {
  constructor(readonly ch: string) {
    super("invalid_uri");
  }
}

const ALPHA = /[A-Za-z]/;
const UNRESERVED = "A-Za-z0-9\\-._~";
const SUB_DELIMS = "!$&'()*+,;=";
const esc = (s: string) => s.replace(/[\]\\^-]/g, "\\$&");
const set = (extra: string) => new RegExp(`^[${UNRESERVED}%${esc(SUB_DELIMS)}${esc(extra)}]$`);
const USERINFO = set(":");
const REGNAME = set("");
const PCHAR = set(":@");
const QUERY = set(":@/?");

function check(s: string, re: RegExp): void {
  for (const ch of s) if (!re.test(ch)) throw new Bad(ch);
}

function checkPath(p: string): void {
  for (const seg of p.split("/")) check(seg, PCHAR);
}

function parseAuthority(auth: string, u: Uri): void {
  let rest = auth;
  const atIdx = rest.lastIndexOf("@");
  if (atIdx >= 0) {
    u.userinfo = rest.slice(0, atIdx);
    check(u.userinfo, USERINFO);
    rest = rest.slice(atIdx + 1);
  }
  if (rest.startsWith("[")) {
    const close = rest.indexOf("]");
    if (close < 0) throw new Bad(":");
    const ip = rest.slice(1, close);
    if (!/^[0-9A-Fa-f:.]+$/.test(ip) || !ip.includes(":")) throw new Bad(":");
    u.host = ip;
    rest = rest.slice(close + 1);
  } else {
    const colon = rest.indexOf(":");
    u.host = colon >= 0 ? rest.slice(0, colon) : rest;
    check(u.host, REGNAME);
    rest = colon >= 0 ? rest.slice(colon) : "";
  }
  if (rest.startsWith(":")) {
    const port = rest.slice(1);
    if (!/^[0-9]*$/.test(port)) throw new Bad(":");
    u.port = port === "" ? null : Number(port);
  } else if (rest !== "") throw new Bad(rest[0]!);
}

/** Splits off `?query` and `#fragment` (validated later, after the path). */
function splitTail(s: string, u: Uri): string {
  const hash = s.indexOf("#");
  if (hash >= 0) {
    u.fragment = s.slice(hash + 1);
    s = s.slice(0, hash);
  }
  const q = s.indexOf("?");
  if (q >= 0) {
    u.query = s.slice(q + 1);
    s = s.slice(0, q);
  }
  return s;
}

function parseRef(s: string, withScheme: string | undefined): Uri {
  const u: Uri = { path: "" };
  if (withScheme !== undefined) u.scheme = withScheme;
  let rest = splitTail(s, u);
  if (rest.startsWith("//")) {
    const end = rest.slice(2).search(/\//);
    const auth = end < 0 ? rest.slice(2) : rest.slice(2, end + 2);
    parseAuthority(auth, u);
    rest = end < 0 ? "" : rest.slice(end + 2);
  } else if (withScheme === undefined) {
    // path-noscheme: the first segment of a relative path has no colon.
    for (const ch of rest.split("/")[0]!) {
      if (ch === ":" || !PCHAR.test(ch)) throw new Bad(ch);
    }
  }
  checkPath(rest);
  u.path = rest;
  if (u.query !== undefined) check(u.query, QUERY);
  if (u.fragment !== undefined) {
    for (const ch of u.fragment) if (ch === "#" || !QUERY.test(ch)) throw new Bad(ch);
  }
  return u;
}

export function parseUri(s: string): Uri | Bad {
  const m = /^([^:/?#]+):/.exec(s);
  if (m && ALPHA.test(m[1]![0]!) && /^[A-Za-z0-9+\-.]+$/.test(m[1]!)) {
    try {
      return parseRef(s.slice(m[0].length), m[1]!);
    } catch (e) {
      if (!(e instanceof Bad)) throw e;
    }
  }
  try {
    return parseRef(s, undefined);
  } catch (e) {
    if (e instanceof Bad) return e;
    throw e;
  }
}

// ---- term conversion --------------------------------------------------------

interface Str {
  text: string;
  bin: boolean;
}

/** URI text from a list or binary; bytes of a binary are read as latin1 so non-ASCII is visible. */
function strArg(t: Term): Str {
  if (t instanceof BitString) {
    if (!t.isBinary) return fclause();
    return { text: String.fromCharCode(...t.bytes()), bin: true };
  }
  if (!(t instanceof Cons) && t !== NIL) return fclause();
  const d = decodeChardata(t);
  if (d.stop !== null) return fclause();
  return { text: String.fromCodePoint(...d.cps), bin: false };
}

/** Text back to the caller's type (binary text is latin1-coded bytes). */
function out(s: string, bin: boolean): Term {
  if (bin) return binaryFromBytes(Uint8Array.from(s, (c) => c.charCodeAt(0) & 255));
  return cpsToList(textToCps(s));
}

function uriToMap(u: Uri, bin: boolean): Term {
  const pairs: [Term, Term][] = [[at("path"), out(u.path, bin)]];
  if (u.scheme !== undefined) pairs.push([at("scheme"), out(u.scheme, bin)]);
  if (u.userinfo !== undefined) pairs.push([at("userinfo"), out(u.userinfo, bin)]);
  if (u.host !== undefined) pairs.push([at("host"), out(u.host, bin)]);
  if (u.port !== undefined) pairs.push([at("port"), u.port === null ? A.undefined : u.port]);
  if (u.query !== undefined) pairs.push([at("query"), out(u.query, bin)]);
  if (u.fragment !== undefined) pairs.push([at("fragment"), out(u.fragment, bin)]);
  return mapFromPairs(pairs);
}

function mapToUri(m: MapTerm): { u: Uri; bin: boolean } {
  let bin = false;
  const get = (k: string): string | undefined => {
    const v = m.get(at(k));
    if (v === undefined) return undefined;
    const s = strArg(v);
    bin ||= s.bin;
    return s.text;
  };
  const portT = m.get(at("port"));
  const u: Uri = { path: get("path") ?? "" };
  const scheme = get("scheme");
  if (scheme !== undefined) u.scheme = scheme;
  const userinfo = get("userinfo");
  if (userinfo !== undefined) u.userinfo = userinfo;
  const host = get("host");
  if (host !== undefined) u.host = host;
  if (portT !== undefined) u.port = typeof portT === "number" ? portT : null;
  const query = get("query");
  if (query !== undefined) u.query = query;
  const fragment = get("fragment");
  if (fragment !== undefined) u.fragment = fragment;
  return { u, bin };
}

/** Percent-encodes characters outside `allowed` (UTF-8 for non-ASCII). */
function encodeInvalid(s: string, allowed: RegExp): string {
  let r = "";
  for (const ch of s) {
    if (allowed.test(ch) || ch === "/") r += ch;
    else
      for (const b of cpsToUtf8(textToCps(ch)))
        r += `%${b.toString(16).toUpperCase().padStart(2, "0")}`;
  }
  return r;
}

function recompose(u: Uri): string {
  let s = "";
  if (u.scheme !== undefined) s += `${u.scheme}:`;
  if (u.host !== undefined) {
    s += "//";
    if (u.userinfo !== undefined) s += `${encodeInvalid(u.userinfo, USERINFO)}@`;
    s += u.host.includes(":") ? `[${u.host}]` : encodeInvalid(u.host, REGNAME);
    if (u.port !== undefined) s += u.port === null ? ":" : `:${u.port}`;
  }
  s += encodeInvalid(u.path, PCHAR);
  if (u.query !== undefined) s += `?${encodeInvalid(u.query, QUERY)}`;
  if (u.fragment !== undefined) s += `#${encodeInvalid(u.fragment, QUERY)}`;
  return s;
}

// ---- queries ----------------------------------------------------------------

class PctError extends Error {
  constructor(readonly rest: string) {
    super("invalid_percent_encoding");
  }
}

/** Decodes %XX (and `+` as space when `plus`) into bytes of latin1 text. */
function pctDecodeBytes(s: string, plus: boolean): number[] {
  const bytes: number[] = [];
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 37) {
      const h = s.slice(i + 1, i + 3);
      if (!/^[0-9A-Fa-f]{2}$/.test(h)) throw new PctError(s.slice(i, i + 3));
      bytes.push(Number.parseInt(h, 16));
      i += 2;
    } else if (plus && c === 43) bytes.push(32);
    else if (c < 256) bytes.push(c);
    else for (const b of cpsToUtf8([c])) bytes.push(b);
  }
  return bytes;
}

/** Decoded text in the caller's type: binaries keep bytes, lists get UTF-8 decoded characters. */
function decodedTerm(bytes: number[], bin: boolean): Term {
  const b = binaryFromBytes(Uint8Array.from(bytes));
  const d = decodeChardata(b);
  if (d.stop !== null) {
    const rest = d.stop.rest;
    throw new InvalidInput(rest instanceof BitString && rest.size > 0 ? rest.byteAt(0) : 0);
  }
  return bin ? b : cpsToList(d.cps);
}

class InvalidInput extends Error {
  constructor(readonly byte: number) {
    super("invalid_input");
  }
}

function dissectQuery(t: Term): Term {
  const { text, bin } = strArg(t);
  if (text === "") return NIL;
  try {
    const pairs: Term[] = text.split("&").map((part) => {
      const eq = part.indexOf("=");
      if (eq < 0) return [decodedTerm(pctDecodeBytes(part, true), bin), A.true];
      return [
        decodedTerm(pctDecodeBytes(part.slice(0, eq), true), bin),
        decodedTerm(pctDecodeBytes(part.slice(eq + 1), true), bin),
      ];
    });
    let l: Term = NIL;
    for (let i = pairs.length - 1; i >= 0; i--) l = new Cons(pairs[i]!, l);
    return l;
  } catch (e) {
    if (e instanceof PctError)
      return [A.error, at("invalid_percent_encoding"), cpsToList(textToCps(e.rest))];
    if (e instanceof InvalidInput) return [A.error, at("invalid_input"), cpsToList([e.byte])];
    throw e;
  }
}

/** application/x-www-form-urlencoded encoding of one key or value. */
function formEncode(s: string, fromBinary: boolean): string {
  const bytes = fromBinary
    ? Array.from(s, (c) => c.charCodeAt(0))
    : Array.from(cpsToUtf8(textToCps(s)));
  let r = "";
  for (const b of bytes) {
    const ch = String.fromCharCode(b);
    if (/[A-Za-z0-9\-._~]/.test(ch)) r += ch;
    else if (b === 32) r += "+";
    else r += `%${b.toString(16).toUpperCase().padStart(2, "0")}`;
  }
  return r;
}

function composeQuery(l: Term, opts: Term): Term {
  let sep = "&";
  for (const o of listArg(opts)) {
    if (Array.isArray(o) && o[0] === at("separator")) {
      if (o[1] === at("amp")) sep = "&";
      else if (o[1] === at("escaped_amp")) sep = "&amp;";
      else if (o[1] === at("semicolon")) sep = ";";
    }
  }
  let bin = false;
  const parts: string[] = [];
  for (const p of listArg(l)) {
    if (!Array.isArray(p) || p.length !== 2) return badarg();
    const k = strArg(p[0]!);
    bin ||= k.bin;
    if (p[1] === A.true) parts.push(formEncode(k.text, k.bin));
    else {
      const v = strArg(p[1]!);
      bin ||= v.bin;
      parts.push(`${formEncode(k.text, k.bin)}=${formEncode(v.text, v.bin)}`);
    }
  }
  return out(parts.join(sep), bin);
}

// ---- normalisation and resolution -------------------------------------------

const DEFAULT_PORTS: Record<string, number> = {
  http: 80,
  https: 443,
  ftp: 21,
  ssh: 22,
  sftp: 22,
  tftp: 69,
};

/** RFC 3986 5.2.4. */
function removeDots(path: string): string {
  const input = path.split("/");
  const outSegs: string[] = [];
  input.forEach((seg, i) => {
    const last = i === input.length - 1;
    if (seg === ".") {
      if (last) outSegs.push("");
    } else if (seg === "..") {
      if (outSegs.length > 1 || (outSegs.length === 1 && outSegs[0] !== "")) outSegs.pop();
      if (last) outSegs.push("");
    } else outSegs.push(seg);
  });
  return outSegs.join("/");
}

function normalizePct(s: string): string {
  return s.replace(/%([0-9A-Fa-f]{2})/g, (_m, h: string) => {
    const ch = String.fromCharCode(Number.parseInt(h, 16));
    return /[A-Za-z0-9\-._~]/.test(ch) ? ch : `%${h.toUpperCase()}`;
  });
}

function normalize(u: Uri): Uri {
  const n: Uri = { ...u, path: removeDots(normalizePct(u.path)) };
  if (n.scheme !== undefined) n.scheme = n.scheme.toLowerCase();
  if (n.host !== undefined) {
    n.host = normalizePct(n.host).toLowerCase();
    if (n.path === "") n.path = "/";
  }
  if (n.port !== undefined && n.scheme !== undefined && DEFAULT_PORTS[n.scheme] === n.port)
    delete n.port;
  if (n.query !== undefined) n.query = normalizePct(n.query);
  if (n.fragment !== undefined) n.fragment = normalizePct(n.fragment);
  return n;
}

/** RFC 3986 5.2.2: `ref` resolved against `base`. */
function resolve(ref: Uri, base: Uri): Uri {
  const t: Uri = { path: "" };
  if (ref.scheme !== undefined) return { ...ref, path: removeDots(ref.path) };
  if (ref.host !== undefined) {
    Object.assign(t, ref, { path: removeDots(ref.path) });
  } else {
    if (ref.path === "") {
      t.path = base.path;
      if (ref.query !== undefined) t.query = ref.query;
      else if (base.query !== undefined) t.query = base.query;
    } else {
      if (ref.path.startsWith("/")) t.path = removeDots(ref.path);
      else {
        const merged =
          base.host !== undefined && base.path === ""
            ? `/${ref.path}`
            : base.path.slice(0, base.path.lastIndexOf("/") + 1) + ref.path;
        t.path = removeDots(merged);
      }
      if (ref.query !== undefined) t.query = ref.query;
    }
    if (base.userinfo !== undefined) t.userinfo = base.userinfo;
    if (base.host !== undefined) t.host = base.host;
    if (base.port !== undefined) t.port = base.port;
  }
  if (base.scheme !== undefined) t.scheme = base.scheme;
  if (ref.fragment !== undefined) t.fragment = ref.fragment;
  return t;
}

function uriArg(t: Term): { u: Uri; bin: boolean } | Term {
  if (t instanceof MapTerm) return mapToUri(t);
  const s = strArg(t);
  const u = parseUri(s.text);
  if (u instanceof Bad) return [A.error, at("invalid_uri"), cpsToList(textToCps(u.ch))];
  return { u, bin: s.bin };
}

const isParsed = (x: { u: Uri; bin: boolean } | Term): x is { u: Uri; bin: boolean } =>
  typeof x === "object" && x !== null && !Array.isArray(x) && "u" in x;

function wantsMap(opts: Term): boolean {
  return listArg(opts).some((o) => o === at("return_map"));
}

export const uriStringNatives: NativeModule = defineNatives("uri_string", {
  "parse/1": (_p, t) => {
    const r = uriArg(t);
    return isParsed(r) ? uriToMap(r.u, r.bin) : r;
  },
  "recompose/1": (_p, m) => {
    if (!(m instanceof MapTerm)) return fclause();
    const { u, bin } = mapToUri(m);
    return out(recompose(u), bin);
  },
  "dissect_query/1": (_p, q) => dissectQuery(q),
  "compose_query/1": (_p, l) => composeQuery(l, NIL),
  "compose_query/2": (_p, l, o) => composeQuery(l, o),
  "normalize/1": (_p, t) => {
    const r = uriArg(t);
    if (!isParsed(r)) return r;
    return out(recompose(normalize(r.u)), r.bin);
  },
  "normalize/2": (_p, t, o) => {
    const r = uriArg(t);
    if (!isParsed(r)) return r;
    const n = normalize(r.u);
    return wantsMap(o) ? uriToMap(n, r.bin) : out(recompose(n), r.bin);
  },
  "resolve/2": (_p, ref, base) => {
    const r = uriArg(ref);
    const b = uriArg(base);
    if (!isParsed(r)) return r;
    if (!isParsed(b)) return b;
    return out(recompose(resolve(r.u, b.u)), r.bin);
  },
  "resolve/3": (_p, ref, base, o) => {
    const r = uriArg(ref);
    const b = uriArg(base);
    if (!isParsed(r)) return r;
    if (!isParsed(b)) return b;
    const u = resolve(r.u, b.u);
    return wantsMap(o) ? uriToMap(u, r.bin) : out(recompose(u), r.bin);
  },
  "percent_decode/1": (_p, t) => {
    const s = strArg(t);
    try {
      return decodedTerm(pctDecodeBytes(s.text, false), s.bin);
    } catch (e) {
      if (e instanceof PctError)
        return [A.error, at("invalid_percent_encoding"), out(e.rest, true)];
      if (e instanceof InvalidInput) return [A.error, at("invalid_input"), cpsToList([e.byte])];
      throw e;
    }
  },
  "quote/1": (_p, t) => quote(t, ""),
  "quote/2": (_p, t, safe) => quote(t, strArg(safe).text),
  "unquote/1": (_p, t) => {
    const s = strArg(t);
    return decodedTerm(pctDecodeBytes(s.text, false), s.bin);
  },
  "transcode/2": (_p, t, _o) => t,
});

function quote(t: Term, safe: string): Term {
  const s = strArg(t);
  const bytes = s.bin
    ? Array.from(s.text, (c) => c.charCodeAt(0))
    : Array.from(cpsToUtf8(textToCps(s.text)));
  let r = "";
  for (const b of bytes) {
    const ch = String.fromCharCode(b);
    if (/[A-Za-z0-9\-._~]/.test(ch) || (b < 128 && safe.includes(ch))) r += ch;
    else r += `%${b.toString(16).toUpperCase().padStart(2, "0")}`;
  }
  return out(r, s.bin);
}
