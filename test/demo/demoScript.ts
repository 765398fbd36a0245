// What `npm run demo` asks and how its scripted model answers. The plan names no test file, so moving tests
// around keeps it finding them; the answer is built from the results the joiner is given, so every fact it states
// (paths, lines, quoted code, commits) is one the tools returned.
import * as path from 'node:path';
import { END_OF_PLAN } from '../../src/core/plan/stopMarkers';
import type { LatencyModel, TestChatRequest } from '../support/modelServer/testServerScript';
import { startOpenAITestServer } from '../support/modelServer/openaiTestServer';
import type { OpenAITestServer } from '../support/modelServer/openaiTestServer';

export const DEMO_ROOT = path.resolve(__dirname, '..', '..');
export const DEMO_QUESTION = 'How does the task scheduler decide which tasks to start, who creates it, and which tests cover it?';

/** Seven tasks: five start at once, two wait for the first grep (one of them reads a field of it inside a string). */
export const DEMO_PLAN = `1. grep("class TaskSchedule", glob="src/**")
2. grep("new TaskSchedule(", glob="src/**")
3. grep("new TaskSchedule(", glob="**/*.test.ts")
4. read_file($1)
5. grep("private fill(", glob="\${1[0].path}")
6. read_file($5[0].path, start_line=$5[0].line)
7. git_log($1[0].path, max_count=3)
join()
${END_OF_PLAN}`;

/** Said in place of a fact the results do not hold, so a plan that finds too little shows in the answer. */
export const NOT_FOUND = 'not found in the results';

interface NumberedLine {
  path: string;
  line: number;
  text: string;
}

/** The results message split by task: `N. tool -> status` starts a task's section. */
function sectionsOf(results: string): Map<number, string[]> {
  const sections = new Map<number, string[]>();
  let current: string[] | undefined;
  for (const line of results.split('\n')) {
    const head = /^(\d+)\. \w+.* -> /.exec(line);
    if (head) sections.set(Number(head[1]), (current = []));
    else current?.push(line);
  }
  return sections;
}

/** The numbered source lines of a grep or read_file result, each under the file path written above it. */
function numberedLines(section: readonly string[] = []): NumberedLine[] {
  const out: NumberedLine[] = [];
  let file: string | undefined;
  for (const line of section) {
    const numbered = /^\s*(\d+): ?(.*)$/.exec(line);
    if (numbered && file) out.push({ path: file, line: Number(numbered[1]), text: numbered[2]! });
    else if (!numbered) {
      const heading = /^([\w./@-]+\/[\w.@-]+)(?: \(.*\):)?$/.exec(line);
      if (heading) file = heading[1];
    }
  }
  return out;
}

const cite = (l: NumberedLine): string => `${l.path}:${l.line}`;

/** A doc comment's first sentence as it stands on its first line ("…" when it goes on), with that line. */
function firstDocSentence(lines: readonly NumberedLine[]): NumberedLine | undefined {
  const open = lines.findIndex((l) => l.text.trim() === '/**');
  const first = open >= 0 ? lines[open + 1] : undefined;
  const text = first?.text.replace(/^\s*\*\s?/, '').trim();
  if (!first || !text) return undefined;
  const end = text.indexOf('. ');
  return { ...first, text: end >= 0 ? text.slice(0, end + 1) : text.endsWith('.') ? text : `${text} …` };
}

/** The joiner's answer, from the results it was given. */
export function demoAnswer(results: string): string {
  const sections = sectionsOf(results);
  const [classLine] = numberedLines(sections.get(1));
  const creators = numberedLines(sections.get(2));
  const testFiles = [...new Set(numberedLines(sections.get(3)).map((l) => l.path))];
  const header = firstDocSentence(numberedLines(sections.get(4)));
  const fillLines = numberedLines(sections.get(6));
  const loop = fillLines.map((l) => ({ ...l, cond: /^\s*while \((.+)\) \{$/.exec(l.text)?.[1] })).find((l) => l.cond);
  const commit = (sections.get(7) ?? [])
    .map((line) => /^([0-9a-f]{7,40}) (\d{4}-\d\d-\d\d) .+?  (.+)$/.exec(line))
    .find((m) => m !== null);

  const sentences = [
    classLine ? `The scheduler is \`TaskSchedule\` (${cite(classLine)}).` : `The scheduler's class: ${NOT_FOUND}.`,
    header ? `Its file opens with "${header.text}" (${cite(header)}).` : `Its doc comment: ${NOT_FOUND}.`,
    fillLines[0] && loop
      ? `Tasks are started by \`fill()\` (${cite(fillLines[0])}), in a loop that runs while \`${loop.cond}\` (${cite(loop)}).`
      : `The code that starts tasks: ${NOT_FOUND}.`,
    creators.length > 0 ? `It is created at ${creators.map(cite).join(', ')}.` : `Who creates it: ${NOT_FOUND}.`,
    testFiles.length > 0 ? `Tests: ${testFiles.join(', ')}.` : `Tests: ${NOT_FOUND}.`,
    commit ? `Last changed in ${commit[1]} (${commit[2]}): ${commit[3]}.` : `Its history: ${NOT_FOUND}.`,
  ];
  return `Action: Finish(${sentences.join('\n')})`;
}

/** The planner gets the plan; the joiner, which continues the planner's conversation, an answer from its results. */
export function demoReply(request: TestChatRequest): string {
  if (request.stop.includes(END_OF_PLAN)) return DEMO_PLAN;
  return demoAnswer(request.messages.at(-1)?.content ?? '');
}

export function startDemoModel(latency?: Partial<LatencyModel>): Promise<OpenAITestServer> {
  return startOpenAITestServer({ latency, script: demoReply });
}

/** The CLI's arguments for the demo question on this repository. */
export function demoCliArgs(baseUrl: string): string[] {
  return ['ask', DEMO_QUESTION, '--cwd', DEMO_ROOT, '--base-url', baseUrl, '--model', 'demo'];
}
