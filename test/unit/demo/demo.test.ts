import assert from 'node:assert/strict';
import type { FileLocation } from '../../../src/shared/toolContract';
import { DEMO_PLAN, NOT_FOUND, demoCliArgs, startDemoModel } from '../../demo/demoScript';
import { buildCli, runCli } from '../../support/builtCli';

interface TaskResult {
  id: number;
  tool: string;
  status: string;
  text: string;
  locations: FileLocation[];
}

/** The first line of a tool's text when it found nothing. */
const EMPTY_RESULT = /^No (?:matches|files|commits)\b/;
const PATH = /[\w@.-]+(?:\/[\w@.-]+)+\.\w+/g;

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Why a task's result shows it found nothing; undefined when it found something. */
function emptiness(task: TaskResult): string | undefined {
  if (task.status !== 'ok') return `status ${task.status}`;
  if (!task.text.trim() || EMPTY_RESULT.test(task.text)) return `no result: ${task.text.split('\n')[0]}`;
  if (['grep', 'find_files', 'read_file'].includes(task.tool) && task.locations.length === 0) return 'no locations';
  return undefined;
}

/**
 * What the answer states that the results do not hold: a `path:line` no result located, a quote that is not on the
 * line it cites, a code span, path, commit or date that no result's text contains, or a fact said to be missing.
 */
function unsupportedClaims(answer: string, results: readonly TaskResult[]): string[] {
  const texts = results.map((r) => r.text).join('\n');
  const problems: string[] = [];
  if (answer.includes(NOT_FOUND)) problems.push(`says "${NOT_FOUND}"`);
  const cited = new Set<string>();
  for (const [citation, file, lineText] of answer.matchAll(/([\w@.-]+(?:\/[\w@.-]+)+\.\w+):(\d+)/g)) {
    const line = Number(lineText);
    cited.add(file!);
    const located = results.some((r) => r.locations.some((l) => l.relPath === file && l.line !== undefined && l.line <= line && line <= (l.endLine ?? l.line)));
    if (!located) problems.push(`cites ${citation}, which no result located`);
  }
  for (const [, quote, file, lineText] of answer.matchAll(/"([^"]+)" \(([^\s():]+):(\d+)\)/g)) {
    const holder = results.filter((r) => r.locations.some((l) => l.relPath === file));
    const onLine = new RegExp(`^\\s*${lineText}: .*${escapeRegExp(quote!.replace(/ …$/, ''))}`, 'm');
    if (!holder.some((r) => onLine.test(r.text))) problems.push(`quotes "${quote}" as ${file}:${lineText}, which the results do not show there`);
  }
  for (const [, span] of answer.matchAll(/`([^`]+)`/g)) {
    const code = span!.replace(/\(\)$/, '');
    if (!texts.includes(code)) problems.push(`names \`${span}\`, which no result holds`);
  }
  for (const [file] of answer.matchAll(PATH)) {
    if (!cited.has(file) && !texts.includes(file)) problems.push(`names ${file}, which no result holds`);
  }
  for (const [word] of answer.matchAll(/\b(?=[0-9a-f]*[a-f])(?=[0-9a-f]*\d)[0-9a-f]{7,40}\b|\b\d{4}-\d\d-\d\d\b/g)) {
    if (!texts.includes(word)) problems.push(`names ${word}, which no result holds`);
  }
  return problems;
}

describe('npm run demo: its plan and scripted answer on this repository', function () {
  this.timeout(120_000);
  let results: TaskResult[];
  let answer: string;
  let code: number | null;
  let stderr: string;

  before(async () => {
    await buildCli();
    const server = await startDemoModel();
    try {
      const run = await runCli([...demoCliArgs(server.url), '--json']);
      ({ code, stderr } = run);
      const events = run.stdout.trimEnd().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
      results = events
        .filter((e) => e.type === 'task-finished')
        .map((e) => ({ ...(e as unknown as TaskResult), locations: (e.locations as FileLocation[] | undefined) ?? [] }));
      answer = events.filter((e) => e.type === 'answer-delta').map((e) => e.text as string).join('');
    } finally {
      await server.close();
    }
  });

  it('runs every task of the plan, and every task finds something', () => {
    assert.equal(code, 0, stderr);
    const planned = DEMO_PLAN.split('\n').filter((line) => /^\d+\. /.test(line)).length;
    assert.deepEqual(results.map((r) => r.id).sort((a, b) => a - b), Array.from({ length: planned }, (_, i) => i + 1));
    const empty = results.flatMap((r) => {
      const why = emptiness(r);
      return why ? [`task ${r.id} ${r.tool}: ${why}`] : [];
    });
    assert.deepEqual(empty, []);
  });

  it('answers with nothing the results do not hold', () => {
    assert.ok(answer.trim(), 'an answer');
    assert.deepEqual(unsupportedClaims(answer, results), []);
  });
});

describe('the demo answer check', () => {
  const results: TaskResult[] = [
    {
      id: 1,
      tool: 'grep',
      status: 'ok',
      text: '1 matching line in 1 file for "x":\nsrc/a.ts\n  3: export function add() {',
      locations: [{ path: '/r/src/a.ts', relPath: 'src/a.ts', line: 3 }],
    },
    { id: 2, tool: 'git_log', status: 'ok', text: '1 commit, newest first:\nabc1234 2024-01-02 Ann  Add add', locations: [] },
  ];

  it('accepts an answer made of what the results hold', () => {
    assert.deepEqual(unsupportedClaims('`add()` is at src/a.ts:3: "export function add() {" (src/a.ts:3), since abc1234 (2024-01-02).', results), []);
  });

  it('names each claim the results do not hold', () => {
    assert.deepEqual(unsupportedClaims(`src/a.ts:4 "function sub" (src/a.ts:3) \`sub\` test/b.test.ts abc9999 2023-05-06 Tests: ${NOT_FOUND}.`, results), [
      `says "${NOT_FOUND}"`,
      'cites src/a.ts:4, which no result located',
      'quotes "function sub" as src/a.ts:3, which the results do not show there',
      'names `sub`, which no result holds',
      'names test/b.test.ts, which no result holds',
      'names abc9999, which no result holds',
      'names 2023-05-06, which no result holds',
    ]);
  });

  it('takes a result that found nothing, or failed, as empty', () => {
    assert.equal(emptiness({ id: 1, tool: 'find_files', status: 'ok', text: 'No files match "test/unit/*chedule*".', locations: [] }), 'no result: No files match "test/unit/*chedule*".');
    assert.equal(emptiness({ id: 1, tool: 'grep', status: 'error', text: '', locations: [] }), 'status error');
    assert.equal(emptiness(results[0]!), undefined);
  });
});
