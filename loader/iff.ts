/**
 * The IFF container: `FOR1`, a 32-bit size of what follows, `BEAM`, then
 * chunks of a four-letter id, a 32-bit data size and the data, each padded to
 * a multiple of four bytes.
 */
import { ErrorSite, LoadError } from "./errors.ts";
import { CHUNK_HEADER, FORM_HEADER } from "./layouts.ts";
import type { ChunkInfo } from "./module.ts";

/** Splits a .beam file into its chunks (views into `bytes`, no copies). */
export function readChunks(bytes: Uint8Array, file: string): ChunkInfo[] {
  const site = new ErrorSite(file, "FOR1", 0);
  if (bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b) {
    throw site.error(0, "gzip-compressed .beam files are not supported");
  }
  if (bytes.length < FORM_HEADER.size) throw site.error(0, "too short for a BEAM file header");
  const h = FORM_HEADER.parse(bytes, 0);
  if (h.magic !== "FOR1") throw site.error(0, "not an IFF file (no FOR1 header)");
  if (h.formType !== "BEAM") throw site.error(8, `IFF form type is not BEAM`);
  if (h.size < 4) throw site.error(4, `form size ${h.size} too small`);
  const formEnd = 8 + h.size;
  if (formEnd > bytes.length) {
    throw site.error(4, `form size ${h.size} exceeds the ${bytes.length - 8} bytes present`);
  }
  const chunks: ChunkInfo[] = [];
  let pos = FORM_HEADER.size;
  while (formEnd - pos >= CHUNK_HEADER.size) {
    const c = CHUNK_HEADER.parse(bytes, pos);
    const start = pos + CHUNK_HEADER.size;
    if (c.size > formEnd - start) {
      throw new LoadError(
        file,
        c.id,
        pos + 4,
        `chunk size ${c.size} runs past the end of the file`,
      );
    }
    chunks.push({
      id: c.id,
      offset: start,
      size: c.size,
      data: bytes.subarray(start, start + c.size),
    });
    // The last chunk's padding may be missing; `pos` may then pass formEnd.
    pos = start + Math.ceil(c.size / 4) * 4;
  }
  if (pos < formEnd) throw site.error(pos, `${formEnd - pos} stray byte(s) after the last chunk`);
  return chunks;
}
