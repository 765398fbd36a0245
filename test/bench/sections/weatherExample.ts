import { runQuestion } from '../../../src/core/runQuestion';
import { ToolRegistry } from '../../../src/core/toolRegistry';
import type { CompilerEvent } from '../../../src/shared/runEvents';
import type { RunMode } from '../../../src/shared/modes';
import { fakeTool } from '../../support/fakeTools';
import { createScriptedModel } from '../../support/scriptedModel';

/** The classic LLMCompiler example: three independent searches and a comparison that needs all three. */
const PLAN = `Thought: The three cities are independent.
1. search("weather San Francisco")
2. search("weather Los Angeles")
3. search("weather New York")
4. compare("$1; $2; $3")
join()
<END_OF_PLAN>`;

const REACT_TURNS = [
  'Thought: first city\nAction: search("weather San Francisco")',
  'Thought: second city\nAction: search("weather Los Angeles")',
  'Thought: third city\nAction: search("weather New York")',
  'Thought: compare\nAction: compare("all three")',
  'Thought: done\nAction: Finish(New York is the coldest.)',
];

export interface WeatherFigures {
  mode: RunMode;
  /** Tool time of the three searches alone: about one search when they overlap, three when they do not. */
  searchBusyMs: number;
  /** Time during which at least one tool was running: the tools' share of the wall time. */
  toolBusyMs: number;
  /** The same tools' durations added up: what they would take one after another. */
  sequentialToolMs: number;
  wallMs: number;
}

/** Runs the example with 100 ms fake tools and an instant scripted model, so only tool scheduling is measured. */
export async function runWeatherExample(mode: RunMode, toolMs = 100): Promise<WeatherFigures> {
  const tools = new ToolRegistry([fakeTool('search', { delayMs: toolMs }), fakeTool('compare', { delayMs: toolMs })]);
  const replies = mode === 'react' ? REACT_TURNS : [PLAN, 'Thought: enough\nAction: Finish(New York is the coldest.)'];
  const events: CompilerEvent[] = [];
  const summary = await runQuestion({
    question: 'Which of San Francisco, Los Angeles and New York is the coldest today?',
    model: createScriptedModel(replies),
    tools,
    roots: [],
    settings: { mode },
    observer: (e) => events.push(e),
  });
  const searches = events.filter((e) => e.type !== 'task-finished' || e.tool === 'search');
  return { mode, searchBusyMs: busyTime(searches), toolBusyMs: busyTime(events), sequentialToolMs: summary.sequentialToolMs, wallMs: summary.wallMs };
}

/** Length of the union of all task intervals. */
export function busyTime(events: CompilerEvent[]): number {
  const spans = events
    .flatMap((e) => (e.type === 'task-finished' && e.ms > 0 ? [[e.t - e.ms, e.t] as const] : []))
    .sort((a, b) => a[0] - b[0]);
  let total = 0;
  let end = -Infinity;
  for (const [s, e] of spans) {
    if (e <= end) continue;
    total += e - Math.max(s, end);
    end = e;
  }
  return total;
}

/** The example in every mode, after a warm-up run (module loading, schema compilation), as printable lines. */
export async function weatherLines(): Promise<string[]> {
  await runWeatherExample('compiler', 1);
  const lines: string[] = [];
  for (const mode of ['compiler', 'plan-execute', 'react'] as const) {
    const f = await runWeatherExample(mode);
    lines.push(
      `${mode.padEnd(12)} searches ${f.searchBusyMs.toFixed(0)} ms, all tools ${f.toolBusyMs.toFixed(0)} ms ` +
        `(the tools take ${f.sequentialToolMs.toFixed(0)} ms one after another), wall ${f.wallMs.toFixed(0)} ms`,
    );
  }
  return lines;
}
