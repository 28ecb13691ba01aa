/** Activities of the hello example: `aion worker examples/hello/activities.ts`. */

/** Builds the greeting (an activity may do any I/O; this one needs none). */
export function greet(input: unknown): string {
  const { name } = input as { name: string };
  return `Hello, ${name}!`;
}
