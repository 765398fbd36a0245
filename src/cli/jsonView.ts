import type { CompilerEvent, RunSummary } from '../shared/runEvents';
import type { TextSink } from './humanView';

/**
 * `--json`: every run event exactly as emitted, one per line, then a last line `{"type":"summary", ...}` with the
 * run summary, so a script can read the figures without knowing the event types.
 */
export class JsonView {
  constructor(private readonly out: TextSink) {}

  readonly observe = (event: CompilerEvent): void => {
    this.out.write(`${JSON.stringify(event)}\n`);
  };

  finish(summary: RunSummary, exitCode: number): void {
    this.out.write(`${JSON.stringify(summaryRecord(summary, exitCode))}\n`);
  }
}

/** The last `--json` line: the run summary with the exit status it gives (the MCP `ask` tool returns the same). */
export type SummaryRecord = { type: 'summary' } & RunSummary & { exitCode: number };

export function summaryRecord(summary: RunSummary, exitCode: number): SummaryRecord {
  return { type: 'summary', ...summary, exitCode };
}
