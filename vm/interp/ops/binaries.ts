/** Binary construction and matching (filled in by binaries-*.ts). */
import type { OpTable } from "./types.ts";

export const binaryOps: OpTable = {};
