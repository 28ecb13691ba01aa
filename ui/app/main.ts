/**
 * The console's entry point: the header (navigation and token bar) and a
 * router that draws the page named by the URL fragment, stopping the
 * previous page's live updates first.
 */
import { h, replace } from "./dom.ts";
import { formatRoute, parseRoute } from "./route.ts";
import { listView } from "./views/list.ts";
import { packagesView } from "./views/packages.ts";
import { tokenBar } from "./views/token.ts";
import { workflowView } from "./views/workflow.ts";

const main = h("main", { id: "main" });
let leave: (() => void) | undefined;

function render(): void {
  leave?.();
  leave = undefined;
  const route = parseRoute(location.hash);
  switch (route.page) {
    case "list":
      void listView(main, route.query);
      break;
    case "workflow":
      leave = workflowView(main, route.id, route.namespace);
      break;
    case "packages":
      void packagesView(main);
      break;
  }
}

const nav = h(
  "nav",
  { class: "top" },
  h(
    "a",
    {
      class: "brand",
      href: formatRoute({ page: "list", query: { namespace: "default", attrs: [], position: 0 } }),
    },
    "aion",
  ),
  h("a", { id: "nav-workflows", href: "#/workflows" }, "Workflows"),
  h("a", { id: "nav-packages", href: "#/packages" }, "Packages"),
  tokenBar(render),
);
replace(document.body, h("header", {}, nav), main);
window.addEventListener("hashchange", render);
render();
