/**
 * Where `io` output goes, per VM. Hosts and tests redirect it with
 * {@link setIoSink}; by default standard output and standard error of the
 * Bun process receive the text (UTF-8).
 */
import type { Machine } from "../../vm/index.ts";

export interface IoSink {
  stdout(text: string): void;
  stderr(text: string): void;
}

const DEFAULT_SINK: IoSink = {
  stdout: (t) => void process.stdout.write(t),
  stderr: (t) => void process.stderr.write(t),
};

const sinks = new WeakMap<Machine, IoSink>();

/** Redirects the `io` output of one VM (e.g. to capture it in tests). */
export function setIoSink(vm: Machine, sink: IoSink): void {
  sinks.set(vm, sink);
}

/** The sink of a VM. */
export function ioSink(vm: Machine): IoSink {
  return sinks.get(vm) ?? DEFAULT_SINK;
}
