/** The term model: one import for the rest of the VM. */
export * from "./atom.ts";
export * from "./binary.ts";
export * from "./compare.ts";
export * from "./depth.ts";
export * from "./etf.ts";
export * from "./float.ts";
export * from "./format.ts";
export * from "./integer.ts";
export * from "./list.ts";
export * from "./map.ts";
export * from "./map-order.ts";
export * from "./phash2.ts";
export * from "./pretty.ts";
export * from "./term.ts";
