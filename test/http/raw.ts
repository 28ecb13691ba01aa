/**
 * Raw HTTP/1.1 over a TCP socket, for requests `fetch` will not make as
 * written: a foreign `Host`, a chunked body without `Content-Length`, a
 * declared length with no body. One request per connection (`Connection:
 * close`); resolves when the server has answered and closed.
 */
import { connect } from "node:net";

/** A parsed answer. */
export interface RawResponse {
  readonly status: number;
  readonly headers: ReadonlyMap<string, string>;
  readonly body: string;
}

/** The head of a request: request line and headers (CRLF added here). */
export function head(method: string, path: string, headers: Record<string, string>): string {
  const lines = [`${method} ${path} HTTP/1.1`, "Connection: close"];
  for (const [k, v] of Object.entries(headers)) lines.push(`${k}: ${v}`);
  return `${lines.join("\r\n")}\r\n\r\n`;
}

/**
 * Sends `head`, then each part of `parts` in order (strings or bytes), and
 * reads the answer. Write errors after the server has answered (it may stop
 * reading an oversized body) are expected and ignored.
 */
export function rawRequest(
  port: number,
  requestHead: string,
  parts: readonly (string | Uint8Array)[] = [],
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, "127.0.0.1");
    const chunks: Buffer[] = [];
    socket.on("data", (d: Buffer) => chunks.push(d));
    socket.on("error", (e: NodeJS.ErrnoException) => {
      // A reset after the answer arrived: the server closed an unread upload.
      if (chunks.length > 0 && (e.code === "ECONNRESET" || e.code === "EPIPE")) return;
      reject(e);
    });
    socket.on("close", () => {
      const text = Buffer.concat(chunks).toString("utf8");
      const split = text.indexOf("\r\n\r\n");
      if (split < 0) {
        reject(new Error(`no HTTP answer: ${JSON.stringify(text.slice(0, 200))}`));
        return;
      }
      const [statusLine, ...headerLines] = text.slice(0, split).split("\r\n");
      const headers = new Map<string, string>();
      for (const l of headerLines) {
        const i = l.indexOf(":");
        headers.set(l.slice(0, i).trim().toLowerCase(), l.slice(i + 1).trim());
      }
      let body = text.slice(split + 4);
      if (headers.get("transfer-encoding") === "chunked") body = unchunk(body);
      resolve({ status: Number(statusLine!.split(" ")[1]), headers, body });
    });
    socket.write(requestHead);
    for (const p of parts) socket.write(p);
  });
}

function unchunk(body: string): string {
  let out = "";
  let rest = body;
  for (;;) {
    const eol = rest.indexOf("\r\n");
    if (eol < 0) return out;
    const size = Number.parseInt(rest.slice(0, eol), 16);
    if (!(size > 0)) return out;
    out += rest.slice(eol + 2, eol + 2 + size);
    rest = rest.slice(eol + 2 + size + 2);
  }
}

/** One chunk of a chunked body. */
export function chunk(bytes: Uint8Array): Uint8Array {
  const prefix = Buffer.from(`${bytes.byteLength.toString(16)}\r\n`);
  return Buffer.concat([prefix, bytes, Buffer.from("\r\n")]);
}

/** The last chunk of a chunked body. */
export const LAST_CHUNK = "0\r\n\r\n";
