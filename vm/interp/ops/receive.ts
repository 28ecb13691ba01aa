/**
 * Sending and the receive loop: `loop_rec` scans the mailbox from the save
 * pointer, `remove_message` takes the matched message, `wait`/`wait_timeout`
 * park the process, and receive markers let `make_ref()`-then-receive skip
 * messages that were queued before the reference existed.
 */

import { A } from "../../../terms/atom.ts";
import { Control } from "../../code/code-area.ts";
import { ErlangError } from "../../errors.ts";
import type { Process } from "../../process/process.ts";
import { dst, failLabel, src } from "../adapt.ts";
import { reader, writer } from "../operand.ts";
import { sendMessage } from "../send.ts";
import type { OpTable } from "./types.ts";

const MAX_TIMEOUT = 4294967295;

function clearReceiveTimer(p: Process): void {
  if (p.receiveTimer !== null) {
    p.vm.clock.cancel(p.receiveTimer as Parameters<typeof p.vm.clock.cancel>[0]);
    p.receiveTimer = null;
  }
  p.timedOut = false;
}

export const receiveOps: OpTable = {
  send(ctx) {
    const x = ctx.vm.x;
    return (p, pc) => {
      sendMessage(p, x[0]!, x[1]!);
      x[0] = x[1]!;
      return pc + 1;
    };
  },
  loop_rec(ctx, [fail, d]) {
    const f = failLabel(ctx, fail!);
    const w = writer(ctx.vm, dst(d!));
    return (p, pc) => {
      const m = p.mailbox.current();
      if (m === undefined) return f;
      w(p, m);
      return pc + 1;
    };
  },
  loop_rec_end(ctx, [label]) {
    const target = ctx.labelPc(label!);
    return (p) => {
      p.mailbox.next();
      return target;
    };
  },
  remove_message() {
    return (p, pc) => {
      p.mailbox.removeCurrent();
      if (p.receiveTimer !== null || p.timedOut) clearReceiveTimer(p);
      return pc + 1;
    };
  },
  timeout() {
    return (p, pc) => {
      p.mailbox.resetCursor();
      clearReceiveTimer(p);
      return pc + 1;
    };
  },
  wait(ctx, [label]) {
    const target = ctx.labelPc(label!);
    return (p) => {
      p.pc = target;
      p.savedX.length = 0;
      return Control.Wait;
    };
  },
  wait_timeout(ctx, [label, time]) {
    const target = ctx.labelPc(label!);
    const rt = reader(ctx.vm, src(ctx, time!));
    return (p, pc) => {
      if (p.timedOut) {
        p.timedOut = false;
        return pc + 1;
      }
      if (p.receiveTimer === null) {
        const t = rt(p);
        if (t === A.infinity) {
          // fall through to waiting forever
        } else if (typeof t !== "number" || t < 0 || t > MAX_TIMEOUT) {
          throw new ErlangError("error", A.timeout_value);
        } else if (t === 0) {
          return pc + 1;
        } else {
          const vm = p.vm;
          p.receiveTimer = vm.clock.schedule(vm.clock.now() + t, () => {
            p.receiveTimer = null;
            if (!p.isAlive) return;
            p.timedOut = true;
            vm.wake(p);
          });
        }
      }
      p.pc = target;
      p.savedX.length = 0;
      return Control.Wait;
    };
  },
  // Pre-OTP 24 receive optimisation hints: safe to ignore.
  recv_mark() {
    return (_p, pc) => pc + 1;
  },
  recv_set() {
    return (_p, pc) => pc + 1;
  },
  recv_marker_reserve(ctx, [d]) {
    const w = writer(ctx.vm, dst(d!));
    return (p, pc) => {
      w(p, p.mailbox.marker());
      return pc + 1;
    };
  },
  recv_marker_bind(ctx, [marker, ref]) {
    const rm = reader(ctx.vm, src(ctx, marker!));
    const rr = reader(ctx.vm, src(ctx, ref!));
    return (p, pc) => {
      p.mailbox.bindMarker(rr(p), rm(p) as number);
      return pc + 1;
    };
  },
  recv_marker_clear(ctx, [ref]) {
    const rr = reader(ctx.vm, src(ctx, ref!));
    return (p, pc) => {
      p.mailbox.clearMarker(rr(p));
      return pc + 1;
    };
  },
  recv_marker_use(ctx, [ref]) {
    const rr = reader(ctx.vm, src(ctx, ref!));
    return (p, pc) => {
      p.mailbox.useBoundMarker(rr(p));
      return pc + 1;
    };
  },
};
