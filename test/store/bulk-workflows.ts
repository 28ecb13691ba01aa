/**
 * Test-only bulk fill of a SQLite store's visibility table: many workflow
 * rows written straight into `workflows` in one transaction, which takes a
 * second where appending them through the store would take minutes. Only
 * for tests of reads that need volume (paging, counts, query plans); the
 * rows have no events, so nothing may read their histories.
 */
import { Database } from "bun:sqlite";
import type { WorkflowStatus } from "../../engine/events/index.ts";
import { SqliteStore } from "../../engine/store/index.ts";

/** One visibility row to write. */
export interface BulkWorkflow {
  readonly workflowId: string;
  readonly namespace: string;
  readonly workflowType: string;
  readonly status: WorkflowStatus;
  readonly startTime: number;
}

/**
 * Creates (migrates) the store file at `path` and writes `count` rows, the
 * i-th being `row(i)`, in one transaction. The file must not exist yet.
 */
export async function fillWorkflows(
  path: string,
  count: number,
  row: (i: number) => BulkWorkflow,
): Promise<void> {
  await new SqliteStore(path).close();
  const db = new Database(path);
  try {
    const insert = db.prepare<
      never,
      [string, string, string, string, string, number, number | null]
    >(
      `INSERT INTO workflows (workflow_id, namespace, workflow_type, run_id, status, start_time,
         close_time, search_attributes, head_seq, run_count)
       VALUES (?, ?, ?, ?, ?, ?, ?, '{}', 1, 1)`,
    );
    db.transaction(() => {
      for (let i = 0; i < count; i++) {
        const w = row(i);
        const closed = w.status === "Running" ? null : w.startTime + 1;
        insert.run(
          w.workflowId,
          w.namespace,
          w.workflowType,
          `run-${i}`,
          w.status,
          w.startTime,
          closed,
        );
      }
    })();
    insert.finalize();
  } finally {
    db.close();
  }
}
