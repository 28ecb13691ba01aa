/** Activities of the approval example: tells the requester how it went. */

/** Stands in for an e-mail or a chat message: logs the decision. */
export function notify(input: unknown): { notified: true } {
  const s = input as { request: string; status: string };
  console.error(`[notify] ${s.request}: ${s.status}`);
  return { notified: true };
}
