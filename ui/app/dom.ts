/**
 * A very small DOM builder: elements from a tag, properties and children,
 * text always set as text (never parsed as HTML), so nothing the server
 * sends can inject markup.
 */

/** What may be passed as a child. */
export type Child = Node | string | number | null | undefined | false;

/** Properties: attributes (strings), `class`, and `on*` event handlers. */
export type Props = Readonly<Record<string, string | boolean | ((ev: Event) => void) | undefined>>;

/** Creates `<tag ...props>children</tag>`. */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: Props = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (v === undefined || v === false) continue;
    if (typeof v === "function") el.addEventListener(k.slice(2).toLowerCase(), v);
    else if (v === true) el.setAttribute(k, "");
    else el.setAttribute(k, v);
  }
  append(el, children);
  return el;
}

/** Appends children, skipping empty ones. */
export function append(el: Element, children: readonly Child[]): void {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    el.append(typeof c === "number" ? String(c) : c);
  }
}

/** Replaces an element's children. */
export function replace(el: Element, ...children: Child[]): void {
  el.replaceChildren();
  append(el, children);
}

/** A `<pre>` of JSON text. */
export function pre(text: string, cls = "json"): HTMLPreElement {
  return h("pre", { class: cls }, text);
}
