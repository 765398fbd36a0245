import { summaryRecord } from '../host/summaryRecord';
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

  finish(summary: RunSummary): void {
    this.out.write(`${JSON.stringify(summaryRecord(summary))}\n`);
  }
}
