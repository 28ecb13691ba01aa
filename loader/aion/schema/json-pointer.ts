/** JSON Pointers written as URI fragments (`#/properties/a~1b/type`), for naming a place in a schema. */

/** `#` followed by `/step` for each step, with `~` and `/` escaped as RFC 6901 says. */
export function formatPointer(path: readonly (string | number)[]): string {
  return `#${path.map((s) => `/${String(s).replaceAll("~", "~0").replaceAll("/", "~1")}`).join("")}`;
}
