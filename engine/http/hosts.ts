/**
 * Host names: whether a bind address is loopback, and whether a request's
 * `Host` header names this server. A loopback server only answers to
 * loopback names (or ones the operator allow-listed), so a web page whose
 * DNS name was rebound to 127.0.0.1 cannot talk to it: its requests carry
 * the page's own name in `Host`.
 */

/** The names a loopback server answers to without an allow-list. */
export const LOOPBACK_NAMES: readonly string[] = ["localhost", "127.0.0.1", "::1"];

/** Whether binding `host` keeps the server on this machine. */
export function isLoopbackBind(host: string): boolean {
  const h = stripBrackets(host.toLowerCase());
  return h === "localhost" || h === "::1" || /^127(\.\d{1,3}){3}$/.test(h);
}

function stripBrackets(h: string): string {
  return h.startsWith("[") && h.endsWith("]") ? h.slice(1, -1) : h;
}

/**
 * The host name of a `Host` header value (`name`, `name:port`, `[v6]`,
 * `[v6]:port`), lower-cased without brackets; undefined when malformed.
 */
export function hostNameOf(header: string): string | undefined {
  const h = header.trim().toLowerCase();
  if (h.startsWith("[")) {
    const end = h.indexOf("]");
    if (end < 0) return undefined;
    const rest = h.slice(end + 1);
    if (rest !== "" && !/^:\d{1,5}$/.test(rest)) return undefined;
    return h.slice(1, end);
  }
  const m = /^([a-z0-9.-]+)(:\d{1,5})?$/.exec(h);
  return m?.[1];
}

/** Whether a `Host` header names an allowed host (loopback names plus `extra`, any port). */
export function hostAllowed(
  header: string | null,
  extra: readonly string[],
  loopbackNames: boolean,
): boolean {
  if (header === null) return false;
  const name = hostNameOf(header);
  if (name === undefined) return false;
  if (loopbackNames && LOOPBACK_NAMES.includes(name)) return true;
  return extra.some((e) => stripBrackets(e.toLowerCase()) === name);
}

/**
 * Whether an `Origin` header is absent or the request's own origin (same
 * scheme-less authority as `Host`). Browsers send `Origin` on cross-site
 * POSTs; `null` (sandboxed frames, file pages) is foreign.
 */
export function sameOrigin(origin: string | null, host: string | null): boolean {
  if (origin === null) return true;
  if (host === null) return false;
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false;
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") return false;
  return url.host.toLowerCase() === host.trim().toLowerCase();
}
