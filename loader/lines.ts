/**
 * The Line chunk: where each `line` instruction points in the source.
 *
 * Header (layouts.ts): version, flags, number of line instructions, number of
 * location items, number of file names. Then the items, compact-encoded: an
 * `a`-tagged value switches the current file (by index; 0 is the implicit
 * `<module>.erl`), an `i`-tagged value is a line number and ends one item.
 * Then the file names: a 16-bit length and UTF-8 text each.
 *
 * Item numbering starts at 1; index 0 is the compiler's "no location".
 */
import { CompactReader, TAG_A, TAG_I, tagName } from "./compact.ts";
import { LINE_HEADER } from "./layouts.ts";
import type { LineLocation, LineTable } from "./module.ts";
import type { Reader } from "./reader.ts";

const utf8 = new TextDecoder("utf-8", { fatal: true });

/** Decodes a Line chunk; `moduleName` names file index 0. */
export function readLines(r: Reader, moduleName: string): LineTable {
  r.need(LINE_HEADER.size, "Line header");
  const h = LINE_HEADER.parse(r.buf, r.pos);
  r.pos += LINE_HEADER.size;
  if (h.version !== 0) throw r.error(`unsupported Line chunk version ${h.version}`, r.start);
  r.checkCount(h.itemCount, 1, "line item");
  r.checkCount(h.nameCount, 2, "file name");

  // Items name files by index before the names are read: keep the indices.
  const fileIdx = new Int32Array(h.itemCount);
  const lineNo = new Float64Array(h.itemCount);
  const cr = new CompactReader(r);
  let file = 0;
  for (let i = 0; i < h.itemCount; ) {
    cr.next();
    if (cr.tag === TAG_A) {
      file = cr.safeValue("file index");
      if (file > h.nameCount) throw r.error(`file index ${file} > ${h.nameCount}`, cr.at);
    } else if (cr.tag === TAG_I) {
      fileIdx[i] = file;
      lineNo[i] = cr.safeValue("line number");
      i++;
    } else {
      throw r.error(`line item: unexpected tag ${tagName(cr.tag)}`, cr.at);
    }
  }

  const files: string[] = new Array(h.nameCount + 1);
  files[0] = `${moduleName}.erl`;
  for (let i = 1; i <= h.nameCount; i++) {
    const len = r.u16("file name length");
    const at = r.pos;
    const bytes = r.bytes(len, "file name");
    try {
      files[i] = utf8.decode(bytes);
    } catch {
      throw r.error("file name is not valid UTF-8", at);
    }
  }

  const items: (LineLocation | null)[] = new Array(h.itemCount + 1);
  items[0] = null;
  for (let i = 0; i < h.itemCount; i++)
    items[i + 1] = { file: files[fileIdx[i]!]!, line: lineNo[i]! };
  return {
    version: h.version,
    flags: h.flags,
    instrCount: h.instrCount,
    files,
    items,
  };
}
