/**
 * Activities of the saga example. Each forward step returns a confirmation
 * that its compensation receives; `fail_at` in the workflow input makes that
 * step fail for good (a TerminalError is never retried; the workflow sees
 * its reason as `terminal:<message>`).
 */
import { TerminalError } from "../../engine/index.ts";

interface Trip {
  readonly trip: string;
  readonly fail_at?: string;
}

function step(name: string, prefix: string) {
  return (input: unknown) => {
    const t = input as Trip;
    if (t.fail_at === name) throw new TerminalError(`${name} declined for ${t.trip}`);
    return { confirmation: `${prefix}-${t.trip.toUpperCase()}` };
  };
}

function undo(name: string) {
  return (input: unknown) => ({
    undone: name,
    confirmation: (input as { confirmation: string }).confirmation,
  });
}

export const reserve_flight = step("reserve_flight", "FL");
export const reserve_hotel = step("reserve_hotel", "HT");
export const charge_card = step("charge_card", "CC");
export const cancel_flight = undo("cancel_flight");
export const cancel_hotel = undo("cancel_hotel");
export const refund_card = undo("refund_card");
