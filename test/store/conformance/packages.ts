/** Conformance: packages and package routes. */
import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import {
  type EventStore,
  InvalidArgumentError,
  UnknownPackageError,
} from "../../../engine/store/index.ts";
import { HASH_A, HASH_B, manualClock, rejection, type StoreFactory } from "../helpers.ts";

export function packageCases(f: StoreFactory): void {
  describe("packages", () => {
    let store: EventStore;
    const clock = manualClock();
    const archive = (...bytes: number[]) => new Uint8Array(bytes);
    beforeEach(() => {
      clock.set(1_000);
      store = f.open({ now: clock.now, maxPackageBytes: 64 });
    });
    afterEach(() => store.close());

    test("put, get and list", async () => {
      const bytes = archive(1, 2, 3);
      const stored = await store.putPackage({
        workflowType: "checkout",
        contentHash: HASH_B,
        archive: bytes,
      });
      expect(stored).toEqual({
        workflowType: "checkout",
        contentHash: HASH_B,
        archive: archive(1, 2, 3),
        storedAt: 1_000,
      });
      bytes[0] = 9;
      clock.set(2_000);
      await store.putPackage({
        workflowType: "checkout",
        contentHash: HASH_A,
        archive: archive(4),
      });
      await store.putPackage({ workflowType: "audit", contentHash: HASH_A, archive: archive(5) });
      const got = await store.getPackage("checkout", HASH_B);
      expect(got?.archive).toEqual(archive(1, 2, 3));
      expect(await store.getPackage("checkout", "c".repeat(64))).toBeUndefined();
      const list = await store.listPackages();
      expect(list.map((p) => `${p.workflowType}@${p.contentHash[0]}:${p.storedAt}`)).toEqual([
        "audit@a:2000",
        "checkout@b:1000",
        "checkout@a:2000",
      ]);
    });

    test("putting the same package again replaces it", async () => {
      await store.putPackage({ workflowType: "t", contentHash: HASH_A, archive: archive(1) });
      clock.set(5_000);
      await store.putPackage({ workflowType: "t", contentHash: HASH_A, archive: archive(2) });
      const list = await store.listPackages();
      expect(list.length).toBe(1);
      expect(list[0]).toMatchObject({ archive: archive(2), storedAt: 5_000 });
    });

    test("routes point at stored packages and block their deletion", async () => {
      await store.putPackage({ workflowType: "t", contentHash: HASH_A, archive: archive(1) });
      await store.putPackage({ workflowType: "t", contentHash: HASH_B, archive: archive(2) });
      const missing = await rejection(store.putPackageRoute("t", "c".repeat(64)));
      expect(missing).toBeInstanceOf(UnknownPackageError);
      expect(await store.listPackageRoutes()).toEqual([]);
      expect(await store.putPackageRoute("t", HASH_A)).toEqual({
        workflowType: "t",
        contentHash: HASH_A,
        updatedAt: 1_000,
      });
      const blocked = await rejection(store.deletePackage("t", HASH_A));
      expect(blocked).toBeInstanceOf(InvalidArgumentError);
      expect((await store.listPackages()).length).toBe(2);
      clock.set(3_000);
      await store.putPackageRoute("t", HASH_B);
      expect(await store.listPackageRoutes()).toEqual([
        { workflowType: "t", contentHash: HASH_B, updatedAt: 3_000 },
      ]);
      expect(await store.deletePackage("t", HASH_A)).toBe(true);
      expect(await store.deletePackage("t", HASH_A)).toBe(false);
      expect(await store.deletePackageRoute("t")).toBe(true);
      expect(await store.deletePackageRoute("t")).toBe(false);
      expect(await store.deletePackage("t", HASH_B)).toBe(true);
      expect(await store.listPackages()).toEqual([]);
    });

    test("package input is validated", async () => {
      const cases = [
        { workflowType: "", contentHash: HASH_A, archive: archive() },
        { workflowType: "t", contentHash: "ABC", archive: archive() },
        { workflowType: "t", contentHash: HASH_A.toUpperCase(), archive: archive() },
        { workflowType: "t", contentHash: HASH_A, archive: new Uint8Array(65) },
      ];
      for (const c of cases)
        expect(await rejection(store.putPackage(c))).toBeInstanceOf(InvalidArgumentError);
      expect(await rejection(store.getPackage("t", "short"))).toBeInstanceOf(InvalidArgumentError);
      expect(await rejection(store.putPackageRoute("", HASH_A))).toBeInstanceOf(
        InvalidArgumentError,
      );
      expect(await store.listPackages()).toEqual([]);
    });
  });
}
