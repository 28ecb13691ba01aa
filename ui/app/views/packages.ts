/**
 * Deployed packages: every version per workflow type, which one new starts
 * are routed to, and a rollback (with confirmation) to any other version.
 * Rollback needs the token's deploy grant; the API refuses otherwise.
 */
import { api } from "../api.ts";
import { h, replace } from "../dom.ts";
import { formatTime, shortId } from "../format.ts";
import type { PackageVersion } from "../wire.ts";
import { confirmThen } from "./confirm.ts";

/** Versions grouped by type, newest first. */
export function groupByType(versions: readonly PackageVersion[]): Map<string, PackageVersion[]> {
  const out = new Map<string, PackageVersion[]>();
  for (const v of versions) {
    if (v.internal) continue;
    const list = out.get(v.workflowType) ?? [];
    list.push(v);
    out.set(v.workflowType, list);
  }
  for (const list of out.values()) list.sort((a, b) => b.storedAt - a.storedAt);
  return out;
}

/** Renders the packages page into `root`. */
export async function packagesView(root: HTMLElement): Promise<void> {
  const body = h("div", {}, h("p", { class: "muted" }, "loading…"));
  const slot = h("div", { class: "confirm-slot" });
  replace(root, h("h1", {}, "Packages"), slot, body);
  try {
    const groups = groupByType(await api.packages());
    if (groups.size === 0)
      return replace(body, h("p", { class: "muted" }, "No packages deployed."));
    replace(
      body,
      ...[...groups].map(([type, list]) =>
        h(
          "section",
          { class: "package", "data-type": type },
          h("h2", {}, type),
          h(
            "table",
            {},
            h(
              "thead",
              {},
              h(
                "tr",
                {},
                h("th", {}, "Version"),
                h("th", {}, "Stored (UTC)"),
                h("th", {}, "Routed"),
                h("th", {}, ""),
              ),
            ),
            h(
              "tbody",
              {},
              ...list.map((v) => {
                const cell = h("td", {});
                if (v.current) cell.append(h("span", { class: "status status-Running" }, "routed"));
                else {
                  const b = h("button", { type: "button", class: "rollback" }, "Route here…");
                  b.addEventListener("click", () =>
                    confirmThen(
                      slot,
                      `Route new starts of ${type} to version ${shortId(v.version, 12)}? Running workflows keep their version.`,
                      async () => {
                        await api.rollback(type, v.version);
                        await packagesView(root);
                      },
                    ),
                  );
                  cell.append(b);
                }
                return h(
                  "tr",
                  {},
                  h("td", { title: v.version }, h("code", {}, shortId(v.version, 12))),
                  h("td", {}, formatTime(v.storedAt)),
                  h("td", {}, v.current ? "yes" : ""),
                  cell,
                );
              }),
            ),
          ),
        ),
      ),
    );
  } catch (e) {
    replace(body, h("p", { class: "error" }, (e as Error).message));
  }
}
