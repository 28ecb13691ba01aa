/**
 * Argument checks shared by every store implementation. Each throws
 * `InvalidArgumentError` naming the argument, before any state is touched.
 */
import { isWorkflowStatus, type SearchAttributes } from "../events/index.ts";
import { InvalidArgumentError } from "./errors.ts";
import type { QueryCursor, TimeRange, WorkflowFilter } from "./types.ts";

/** Longest accepted id (workflow, timer, workflow type), in UTF-16 units. */
export const MAX_ID_LENGTH = 1024;

const CONTENT_HASH = /^[0-9a-f]{64}$/;

/**
 * A namespace name: 1 to 128 of letters, digits, `.`, `_`, `-`, starting
 * with a letter or digit. Narrow on purpose: namespaces appear in URLs,
 * headers (comma-separated grant lists) and error messages.
 */
export const NAMESPACE_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

/** A namespace name (see {@link NAMESPACE_PATTERN}). */
export function checkNamespace(value: unknown, argument: string): string {
  if (typeof value !== "string" || !NAMESPACE_PATTERN.test(value)) {
    throw new InvalidArgumentError(
      argument,
      "must be 1-128 letters, digits, '.', '_' or '-', starting with a letter or digit",
    );
  }
  return value;
}

/** A non-empty string of at most `MAX_ID_LENGTH` characters. */
export function checkId(value: unknown, argument: string): string {
  if (typeof value !== "string" || value.length === 0) {
    throw new InvalidArgumentError(argument, "must be a non-empty string");
  }
  if (value.length > MAX_ID_LENGTH) {
    throw new InvalidArgumentError(argument, `longer than ${MAX_ID_LENGTH} characters`);
  }
  return value;
}

/** A head seq to append after: an integer >= 0. */
export function checkExpectedSeq(value: unknown): number {
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 0) {
    throw new InvalidArgumentError("expectedSeq", "must be an integer >= 0");
  }
  return value;
}

/** A seq to read from: an integer >= 1. */
export function checkFromSeq(value: unknown): number {
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 1) {
    throw new InvalidArgumentError("fromSeq", "must be an integer >= 1");
  }
  return value;
}

/** A timestamp: milliseconds since the epoch as a non-negative integer. */
export function checkTimestamp(value: unknown, argument: string): number {
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 0) {
    throw new InvalidArgumentError(argument, "must be a non-negative integer (ms epoch)");
  }
  return value;
}

/** An optional result limit: a positive integer. */
export function checkLimit(value: unknown, argument = "limit"): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 1) {
    throw new InvalidArgumentError(argument, "must be a positive integer");
  }
  return value;
}

/** An optional count of matches to skip: an integer >= 0. */
function checkOffset(value: unknown): void {
  if (value === undefined) return;
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 0) {
    throw new InvalidArgumentError("filter.offset", "must be a non-negative integer");
  }
}

/** A package version: 64 lowercase hex characters. */
export function checkContentHash(value: unknown, argument = "contentHash"): string {
  if (typeof value !== "string" || !CONTENT_HASH.test(value)) {
    throw new InvalidArgumentError(argument, "must be 64 lowercase hex characters");
  }
  return value;
}

function checkRange(range: TimeRange | undefined, argument: string): void {
  if (range === undefined) return;
  if (typeof range !== "object" || range === null) {
    throw new InvalidArgumentError(argument, "must be an object");
  }
  if (range.from !== undefined) checkTimestamp(range.from, `${argument}.from`);
  if (range.to !== undefined) checkTimestamp(range.to, `${argument}.to`);
}

function checkSearchAttributes(attributes: SearchAttributes | undefined): void {
  if (attributes === undefined) return;
  if (typeof attributes !== "object" || attributes === null) {
    throw new InvalidArgumentError("filter.searchAttributes", "must be an object");
  }
  for (const [name, value] of Object.entries(attributes)) {
    const argument = `filter.searchAttributes.${name}`;
    if (name.length === 0) throw new InvalidArgumentError(argument, "name must be non-empty");
    const ok =
      typeof value === "string" ||
      typeof value === "boolean" ||
      (typeof value === "number" && Number.isFinite(value));
    if (!ok) throw new InvalidArgumentError(argument, "must be a string, finite number or boolean");
  }
}

function checkCursor(cursor: QueryCursor | undefined): void {
  if (cursor === undefined) return;
  if (typeof cursor !== "object" || cursor === null) {
    throw new InvalidArgumentError("filter.after", "must be an object {startTime, workflowId}");
  }
  checkTimestamp(cursor.startTime, "filter.after.startTime");
  checkId(cursor.workflowId, "filter.after.workflowId");
}

/** The statuses a filter accepts, or undefined for any. */
export function filterStatuses(filter: WorkflowFilter): readonly string[] | undefined {
  if (filter.status === undefined) return undefined;
  return typeof filter.status === "string" ? [filter.status] : filter.status;
}

/** Check every criterion of a visibility filter. */
export function checkFilter(filter: unknown): WorkflowFilter {
  if (typeof filter !== "object" || filter === null) {
    throw new InvalidArgumentError("filter", "must be an object");
  }
  const f = filter as WorkflowFilter;
  const statuses = filterStatuses(f);
  if (statuses !== undefined) {
    if (!Array.isArray(statuses) || statuses.length === 0) {
      throw new InvalidArgumentError("filter.status", "must be a status or a non-empty list");
    }
    for (const s of statuses) {
      if (!isWorkflowStatus(s))
        throw new InvalidArgumentError("filter.status", `unknown status ${s}`);
    }
  }
  if (f.namespace !== undefined) checkNamespace(f.namespace, "filter.namespace");
  if (f.workflowType !== undefined) checkId(f.workflowType, "filter.workflowType");
  checkRange(f.startTime, "filter.startTime");
  checkRange(f.closeTime, "filter.closeTime");
  checkSearchAttributes(f.searchAttributes);
  checkLimit(f.limit, "filter.limit");
  if (f.order !== undefined && f.order !== "asc" && f.order !== "desc") {
    throw new InvalidArgumentError("filter.order", "must be 'asc' or 'desc'");
  }
  checkCursor(f.after);
  checkOffset(f.offset);
  return f;
}
