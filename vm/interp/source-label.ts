/**
 * A site label made safe for a `//` comment in generated source (fused
 * blocks, JIT regions, direct functions): the label makes each source text
 * unique, so JavaScriptCore compiles and profiles each site apart.
 */
export function sourceLabel(site: string): string {
  return site.replace(/[^\w:/.$@-]/g, "_");
}
