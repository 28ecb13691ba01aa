/**
 * Which shards this engine process owns, through leases in the store.
 *
 * - `exclusive` (the embedded default): one process owns every shard. It
 *   takes them all at open, by force, so a previous owner of the database
 *   (a crashed process, or one still running) is fenced out on its next
 *   append. One store round trip; a memory store needs nothing more. Other
 *   stores renew the leases in the background so one-shot commands can see
 *   that the shards are owned and leave their calls in the inbox.
 * - `shared` (`aion worker`): processes announce themselves as members and
 *   each takes up to ceil(S/N) free or expired shards (N the live members),
 *   renews them, gives excess back when others join, and takes over expired
 *   shards of dead members, whose workflows it then recovers.
 * - `client` (one-shot commands): holds no standing lease. A call on a shard
 *   nobody holds runs under a lease borrowed for that call alone; otherwise
 *   the call goes to the owner through the inbox.
 * - `focus` (`start --wait`, `result --wait` with no worker live): a client
 *   that runs the workflows it was asked about. A borrowed lease whose call
 *   left a run resident here (the started workflow, a child it started, the
 *   one resumed for `result --wait`) is kept and renewed until the process
 *   ends; nothing else is taken: no balancing, no recovery of other
 *   workflows, no membership (workers still see the shard as held).
 *
 * Losing a shard (a renewal finding the token moved on, a lease that ran out
 * before it could be renewed, an append refused as fenced, a rebalance)
 * closes its epoch at once: the `lost` hook stops every run of the shard
 * without recording anything, and every later append for it is refused
 * here before it reaches the store.
 */
import { type Clock, SystemClock, type TimerHandle } from "../../vm/index.ts";
import { ShardNotOwnedError } from "../errors.ts";
import { type EventStore, type Fence, MemoryStore } from "../store/index.ts";
import { DEFAULT_SHARD_COUNT, fairShare, shardOf } from "./shards.ts";

/** How this process takes part in ownership. */
export type OwnershipMode = "exclusive" | "shared" | "client" | "focus";

/** `EngineOptions.ownership`. */
export interface OwnershipOptions {
  /** Default `exclusive`. */
  readonly mode?: OwnershipMode;
  /** This process's owner id in the lease table; default a fresh UUID. */
  readonly ownerId?: string;
  /** Shards of the deployment (the same in every process); default 16. */
  readonly shardCount?: number;
  /** Lease time: a dead owner's shards move within it. Default 15 s. */
  readonly leaseMs?: number;
  /** How often the inbox and task results are polled; default 200 ms. */
  readonly pollMs?: number;
  /** The HTTP API of this process, recorded with its membership. */
  readonly endpoint?: string;
  /**
   * Time source of leases, renewals and polls. Default: the system clock,
   * whatever clock the workflows see: leases are real time shared with
   * other processes, not a test's virtual time. Tests inject a manual clock
   * here to expire leases at will.
   */
  readonly clock?: Clock;
}

/** What the engine does when ownership changes. */
export interface OwnershipHooks {
  /** Shards taken over after start: recover their workflows. */
  gained(shards: readonly number[]): Promise<void>;
  /** Shards lost or given up: stop their runs at once, record nothing. */
  lost(shards: readonly number[], why: string): void;
  /** Each poll, with the shards owned: drain their inbox, take queued activity tasks. */
  poll(owned: readonly number[]): Promise<void>;
  /** Whether runs of the shard are resident here (`focus` keeps a borrowed lease then). */
  resident(shard: number): boolean;
}

/** `borrow`'s answer when another process holds the shard. */
export const HELD_ELSEWHERE: unique symbol = Symbol("held elsewhere");

interface Held {
  token: number;
  expiresAt: number;
  /** A standing lease (kept and renewed), as opposed to one borrowed for calls. */
  standing: boolean;
  /** Calls running under a borrowed lease. */
  borrows: number;
}

export class Ownership {
  readonly mode: OwnershipMode;
  readonly ownerId: string;
  readonly shardCount: number;
  readonly leaseMs: number;
  readonly pollMs: number;
  readonly endpoint: string | null;
  /** The clock of leases and polls (see `OwnershipOptions.clock`). */
  readonly clock: Clock;
  private readonly held = new Map<number, Held>();
  private hooks: OwnershipHooks | undefined;
  private timer: TimerHandle | undefined;
  private closed = false;
  private lastLeaseWork = Number.NEGATIVE_INFINITY;
  /** Whether lost shards' runs are recovered when gained (after the engine's first recovery). */
  recoverOnGain = false;

  constructor(
    private readonly store: EventStore,
    options: OwnershipOptions,
    defaultOwnerId: string,
    private readonly track: (task: Promise<unknown>, what: string) => void,
    /** The activity types this process runs (advertised with its membership). */
    private readonly activityTypes: () => readonly string[],
  ) {
    this.mode = options.mode ?? "exclusive";
    this.ownerId = options.ownerId ?? defaultOwnerId;
    this.shardCount = options.shardCount ?? DEFAULT_SHARD_COUNT;
    this.leaseMs = options.leaseMs ?? 15_000;
    this.pollMs = options.pollMs ?? 200;
    this.endpoint = options.endpoint ?? null;
    this.clock = options.clock ?? new SystemClock();
  }

  private wall(): number {
    return Math.floor(this.clock.wallNow());
  }

  /** The shard of a workflow id. */
  shardOf(workflowId: string): number {
    return shardOf(workflowId, this.shardCount);
  }

  /** Whether this process may append to the workflow now. */
  owns(workflowId: string): boolean {
    return this.held.has(this.shardOf(workflowId));
  }

  /** The fence an append to the workflow carries. @throws ShardNotOwnedError */
  fenceFor(workflowId: string): Fence {
    const shard = this.shardOf(workflowId);
    const h = this.held.get(shard);
    if (h === undefined) throw new ShardNotOwnedError(workflowId, shard);
    return { shard, token: h.token };
  }

  /** The shards held with a standing lease, ascending. */
  standingShards(): number[] {
    return [...this.held]
      .filter(([, h]) => h.standing)
      .map(([s]) => s)
      .sort((a, b) => a - b);
  }

  /** Takes the initial leases and starts the background loop. */
  async start(hooks: OwnershipHooks): Promise<void> {
    this.hooks = hooks;
    if (this.mode === "client") return;
    if (this.mode === "focus") {
      // No lease yet: it borrows them call by call; the loop renews what it keeps.
      this.lastLeaseWork = this.wall();
    } else if (this.mode === "exclusive") {
      const all = Array.from({ length: this.shardCount }, (_, i) => i);
      const got = await this.store.coordination.acquireLeases({
        owner: this.ownerId,
        shards: all,
        now: this.wall(),
        ttlMs: this.leaseMs,
        force: true,
        ...(this.endpoint !== null ? { endpoint: this.endpoint } : {}),
      });
      for (const l of got)
        this.held.set(l.shard, {
          token: l.token,
          expiresAt: l.expiresAt,
          standing: true,
          borrows: 0,
        });
      this.lastLeaseWork = this.wall();
      // Nobody else can reach a memory store: no renewals, no inbox to poll.
      if (this.store instanceof MemoryStore) return;
    } else {
      await this.leaseWork();
    }
    this.schedule();
  }

  private schedule(): void {
    if (this.closed) return;
    this.timer = this.clock.schedule(this.clock.now() + this.pollMs, () => {
      this.timer = undefined;
      this.track(this.tick(), "ownership poll");
    });
  }

  private async tick(): Promise<void> {
    try {
      if (this.wall() - this.lastLeaseWork >= this.leaseMs / 3) await this.leaseWork();
      if (this.mode === "shared" || this.mode === "focus") this.dropExpiring();
      // Even with no shard: a worker still takes queued activity tasks.
      if (!this.closed) await this.hooks?.poll(this.standingShards());
    } finally {
      this.schedule();
    }
  }

  /** Renew, and in shared mode announce and balance. */
  private async leaseWork(): Promise<void> {
    if (this.closed) return;
    const now = this.wall();
    this.lastLeaseWork = now;
    if (this.mode === "shared") {
      await this.store.coordination.announceMember({
        owner: this.ownerId,
        expiresAt: now + this.leaseMs,
        endpoint: this.endpoint,
        activityTypes: [...this.activityTypes()],
      });
    }
    await this.renew(now);
    if (this.mode === "shared") await this.balance(now);
  }

  private async renew(now: number): Promise<void> {
    const mine = [...this.held].filter(([, h]) => h.standing || h.borrows > 0);
    if (mine.length === 0) return;
    const kept = await this.store.coordination.renewLeases({
      owner: this.ownerId,
      leases: mine.map(([shard, h]) => ({ shard, token: h.token })),
      now,
      ttlMs: this.leaseMs,
    });
    const keptShards = new Set(kept.map((l) => l.shard));
    for (const l of kept) {
      const h = this.held.get(l.shard);
      if (h !== undefined && h.token === l.token) h.expiresAt = l.expiresAt;
    }
    const lost = mine.map(([s]) => s).filter((s) => !keptShards.has(s));
    this.lose(lost, "its lease was taken over by another engine process");
  }

  /**
   * A lease about to run out without a renewal (the store was unreachable):
   * stop before it expires, since another process may take it right after.
   */
  private dropExpiring(): void {
    const deadline = this.wall() + this.pollMs;
    const expiring = [...this.held].filter(([, h]) => h.expiresAt <= deadline).map(([s]) => s);
    this.lose(expiring, "its lease could not be renewed in time");
  }

  private async balance(now: number): Promise<void> {
    const members = await this.store.coordination.listMembers(now);
    const n = new Set([...members.map((m) => m.owner), this.ownerId]).size;
    const target = fairShare(this.shardCount, n);
    const mine = this.standingShards();
    if (mine.length > target) {
      const excess = mine.slice(target);
      const fences = excess.map((shard) => ({ shard, token: this.held.get(shard)!.token }));
      this.lose(excess, "another engine process joined (rebalanced)");
      await this.store.coordination.releaseLeases(this.ownerId, fences);
      return;
    }
    if (mine.length === target) return;
    const rows = new Map((await this.store.coordination.listLeases()).map((l) => [l.shard, l]));
    // Start at an offset of our own, so processes joining together try different shards first.
    const offset = shardOf(this.ownerId, this.shardCount);
    const free: number[] = [];
    for (let i = 0; i < this.shardCount; i++) {
      const shard = (offset + i) % this.shardCount;
      const row = rows.get(shard);
      if (this.held.has(shard)) continue;
      if (row === undefined || row.expiresAt <= now) free.push(shard);
    }
    const want = free.slice(0, target - mine.length);
    if (want.length === 0) return;
    const got = await this.store.coordination.acquireLeases({
      owner: this.ownerId,
      shards: want,
      now,
      ttlMs: this.leaseMs,
      ...(this.endpoint !== null ? { endpoint: this.endpoint } : {}),
    });
    for (const l of got)
      this.held.set(l.shard, {
        token: l.token,
        expiresAt: l.expiresAt,
        standing: true,
        borrows: 0,
      });
    const gained = got.map((l) => l.shard);
    // Not awaited: a long recovery must not hold up the next renewal.
    if (gained.length > 0 && this.recoverOnGain && this.hooks !== undefined)
      this.track(this.hooks.gained(gained), `recovering shard(s) ${gained.join(", ")}`);
  }

  /** An append was refused as fenced: the shard is someone else's now. */
  fenced(shard: number): void {
    this.lose([shard], "an append was fenced out (another process took the shard)");
  }

  private lose(shards: readonly number[], why: string): void {
    const gone = shards.filter((s) => this.held.delete(s));
    if (gone.length > 0) this.hooks?.lost(gone, why);
  }

  /**
   * Runs `call` holding the shard: at once when this process holds it, else
   * under a lease borrowed for the call (released after it; the runs it left
   * resident are stopped, except in `focus` mode, which keeps the lease for
   * them). Resolves `HELD_ELSEWHERE` without running
   * `call` when another live process holds the shard.
   */
  async borrow<T>(shard: number, call: () => Promise<T>): Promise<T | typeof HELD_ELSEWHERE> {
    let h = this.held.get(shard);
    if (h === undefined) {
      const [lease] = await this.store.coordination.acquireLeases({
        owner: this.ownerId,
        shards: [shard],
        now: this.wall(),
        ttlMs: this.leaseMs,
      });
      if (lease === undefined) return HELD_ELSEWHERE;
      h = this.held.get(shard);
      if (h === undefined) {
        h = { token: lease.token, expiresAt: lease.expiresAt, standing: false, borrows: 0 };
        this.held.set(shard, h);
      }
    }
    const held = h;
    held.borrows++;
    try {
      return await call();
    } finally {
      held.borrows--;
      // A focused process keeps the shard of a run it now hosts (until it ends).
      if (this.mode === "focus" && held.borrows === 0 && this.hooks?.resident(shard))
        held.standing = true;
      if (held.borrows === 0 && !held.standing && this.held.get(shard) === held) {
        this.lose([shard], "the borrowed call is done");
        await this.store.coordination
          .releaseLeases(this.ownerId, [{ shard, token: held.token }])
          .catch(() => {});
      }
    }
  }

  /** Stops the background loop (the engine's epoch closes). */
  stop(): void {
    this.closed = true;
    if (this.timer !== undefined) this.clock.cancel(this.timer);
    this.timer = undefined;
  }

  /** Stops the loop and gives every lease back (the next owner need not wait for expiry). */
  async close(): Promise<void> {
    if (this.held.size === 0 && this.closed && this.mode !== "shared") return;
    this.stop();
    const fences = [...this.held].map(([shard, h]) => ({ shard, token: h.token }));
    this.held.clear();
    if (fences.length > 0) await this.store.coordination.releaseLeases(this.ownerId, fences);
    if (this.mode === "shared") await this.store.coordination.removeMember(this.ownerId);
  }
}
