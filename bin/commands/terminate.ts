/** `aion terminate ID [REASON]`: records WorkflowFailed `terminated:REASON` (children too). */
import { endCommand } from "../cli/end-command.ts";

export const command = endCommand(
  "terminate",
  "terminate a running workflow",
  "Terminates workflow ID and its running children; records WorkflowFailed\nwith the message 'terminated:REASON'.",
);
