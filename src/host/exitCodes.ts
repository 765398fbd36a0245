import type { RunSummary } from '../shared/runEvents';

/** What the process exit status tells a script calling the CLI (and the MCP `ask` tool's figures repeat). */
export const EXIT = {
  answered: 0,
  failed: 1,
  usage: 2,
  /** No model server answers at the base URL. */
  noEndpoint: 3,
  /** 128 + SIGINT, as shells report an interrupted command. */
  cancelled: 130,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** How a run ended, as an exit status; a run past its time limit failed (`timeout`), it was not interrupted. */
export function exitCodeOf(summary: RunSummary): ExitCode {
  switch (summary.outcome) {
    case 'answered':
      return EXIT.answered;
    case 'cancelled':
      return EXIT.cancelled;
    case 'failed':
      return summary.error?.reason === 'model-unreachable' ? EXIT.noEndpoint : EXIT.failed;
  }
}
