/** `aion cancel ID [REASON]`: records WorkflowCancelled (children too). */
import { endCommand } from "../cli/end-command.ts";

export const command = endCommand(
  "cancel",
  "cancel a running workflow",
  "Cancels workflow ID and its running children; records WorkflowCancelled with REASON.",
);
