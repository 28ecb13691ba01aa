/**
 * Templates for the receive loop's scan: `loop_rec` reads the message under
 * the mailbox cursor (or jumps to the wait when there is none) and
 * `loop_rec_end` steps past it. Inline, a selective receive that scans past
 * many messages loops inside the region with no closure call per message;
 * taking, waiting and timeouts stay closures (receive.ts is their one
 * definition).
 */
import { STEP_PAST_MESSAGE } from "./emitter.ts";
import type { Template } from "./templates.ts";

export const receiveTemplates: Record<string, Template> = {
  loop_rec(e, { args: [fail, d] }) {
    const f = e.label(fail!);
    if (f === null || !e.isReg(d!)) return null;
    const m = e.fresh("m");
    // Mailbox.current() inline (keep the two alike): a scan past thousands
    // of messages would pay a call per message until JSC's optimising tier
    // inlines it.
    e.emit(
      `const mb${m} = p.mailbox, i${m} = mb${m}.head + mb${m}.save; const ${m} = i${m} < mb${m}.items.length ? mb${m}.items[i${m}] : undefined;`,
    );
    e.emit(`if (${m} === undefined) { ${e.exitTo(f)} }`);
    e.dst(d!, m);
    return true;
  },
  loop_rec_end(e, { args: [label] }) {
    const t = e.label(label!);
    if (t === null) return null;
    e.emit(STEP_PAST_MESSAGE);
    e.emit(e.exitTo(t));
    return false;
  },
};
