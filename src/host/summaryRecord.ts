import type { RunSummary } from '../shared/runEvents';
import { exitCodeOf } from './exitCodes';

/**
 * A run's figures as a script or an agent reads them: the run summary with the exit status it gives. The last line
 * of `llm-compiler ask --json`, and the structured result of the MCP `ask` tool.
 */
export type SummaryRecord = { type: 'summary' } & RunSummary & { exitCode: number };

export function summaryRecord(summary: RunSummary): SummaryRecord {
  return { type: 'summary', ...summary, exitCode: exitCodeOf(summary) };
}
