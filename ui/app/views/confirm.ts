/**
 * Confirmation before anything that changes a workflow or a route: an
 * inline panel naming exactly what will happen, with Confirm and Back.
 */
import { h, replace } from "../dom.ts";

/** Shows `message` in `slot`; `run` is called only on Confirm. */
export function confirmThen(slot: HTMLElement, message: string, run: () => Promise<void>): void {
  const status = h("span", { class: "confirm-status" });
  const yes = h("button", { class: "confirm-yes danger", type: "button" }, "Confirm");
  const no = h("button", { class: "confirm-no", type: "button" }, "Back");
  yes.addEventListener("click", async () => {
    yes.disabled = true;
    no.disabled = true;
    status.textContent = "working…";
    try {
      await run();
      replace(slot);
    } catch (e) {
      status.textContent = (e as Error).message;
      status.className = "confirm-status error";
      no.disabled = false;
    }
  });
  no.addEventListener("click", () => replace(slot));
  replace(
    slot,
    h("div", { class: "confirm", role: "alertdialog" }, h("p", {}, message), yes, no, status),
  );
}
