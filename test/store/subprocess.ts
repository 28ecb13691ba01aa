/** Reading a child process's stdout line by line, for the multi-process tests. */

/**
 * Call `onLine` for every complete line of `stream` until it ends (the child
 * exited or was killed). Resolves with every line seen.
 */
export async function readLines(
  stream: ReadableStream<Uint8Array>,
  onLine: (line: string) => void = () => {},
): Promise<string[]> {
  const decoder = new TextDecoder();
  const seen: string[] = [];
  let buffered = "";
  for await (const chunk of stream) {
    buffered += decoder.decode(chunk, { stream: true });
    let nl = buffered.indexOf("\n");
    while (nl >= 0) {
      const line = buffered.slice(0, nl);
      buffered = buffered.slice(nl + 1);
      seen.push(line);
      onLine(line);
      nl = buffered.indexOf("\n");
    }
  }
  // A trailing fragment without newline was cut by the kill: not an acknowledgement.
  return seen;
}

/** Path of a script next to this file. */
export function script(name: string): string {
  return `${import.meta.dir}/${name}`;
}
