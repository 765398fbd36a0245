// What a session was offered from outside the workspace at its start: the external tools it may call, those held
// back and why, and the sources that could not be reached. Surfaces print it; the CLI's --json writes it as a line.
import type { ToolOrigin } from './toolContract';

export interface OfferedTool {
  /** The name plans call it by, e.g. `everything_get_sum`. */
  name: string;
  origin: ToolOrigin;
  /** Its name at its source, e.g. `get-sum`. */
  tool: string;
  /** The `--allow-tool` pattern that offers it; absent for a tool its source marks read-only. */
  allowedBy?: string;
}

export interface HeldBackTool {
  name: string;
  origin: ToolOrigin;
  tool: string;
  /** Why, in words, e.g. `not marked read-only (--allow-tool everything_toggle_simulated_logging offers it)`. */
  reason: string;
}

export interface ExternalToolsReport {
  type: 'external-tools';
  offered: OfferedTool[];
  heldBack: HeldBackTool[];
  /** Sources named but not reached (a server that did not start), each left out. */
  failed: Array<{ origin: ToolOrigin; message: string }>;
  /** `--allow-tool` patterns that matched no tool of any source. */
  unmatchedAllows: string[];
}
