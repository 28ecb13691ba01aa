/**
 * The token bar: the bearer token is typed here, kept for the tab only
 * (token.ts), and checked against `/v1/whoami` to show who the console
 * acts as. Without tokens (loopback) the field may stay empty.
 */
import { api } from "../api.ts";
import { h, replace } from "../dom.ts";
import { loadToken, saveToken } from "../token.ts";

/** Builds the bar; `changed` runs after a new token is saved. */
export function tokenBar(changed: () => void): HTMLElement {
  const input = h("input", {
    id: "token",
    type: "password",
    placeholder: "bearer token (empty on a token-less loopback server)",
    autocomplete: "off",
  });
  input.value = loadToken();
  const who = h("span", { id: "whoami", class: "muted" });
  const refresh = async (): Promise<void> => {
    try {
      const w = await api.whoami();
      const nss = w.namespaces === "*" ? "all namespaces" : w.namespaces.join(", ");
      replace(who, `${w.subject} · ${nss}${w.deploy ? " · deploy" : ""}`);
      who.className = "ok";
    } catch (e) {
      replace(who, (e as Error).message);
      who.className = "error";
    }
  };
  const save = h("button", { id: "token-save", type: "submit" }, "Use token");
  const form = h("form", { class: "token-bar" }, input, save, who);
  form.addEventListener("submit", (ev) => {
    ev.preventDefault();
    saveToken(input.value.trim());
    void refresh();
    changed();
  });
  void refresh();
  return form;
}
