/**
 * Workflows are partitioned into a fixed number of shards by a hash of their
 * id, and ownership is per shard: one lease row per shard instead of one per
 * workflow. Every process of a deployment must use the same shard count
 * (it decides which lease fences which workflow).
 */

/** Shards of a deployment unless configured otherwise. */
export const DEFAULT_SHARD_COUNT = 16;

/** The shard of a workflow id: FNV-1a over its UTF-16 code units, modulo the count. */
export function shardOf(workflowId: string, shardCount: number): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < workflowId.length; i++) {
    h ^= workflowId.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h % shardCount;
}

/** How many shards each of `members` live processes takes: ceil(S / N). */
export function fairShare(shardCount: number, members: number): number {
  return Math.ceil(shardCount / Math.max(1, members));
}
