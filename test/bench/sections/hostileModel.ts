// Hostile model output and plans: each case in a fresh Node process (run from source with tsx), its wall time and
// peak memory, so one case's heap does not colour the next.
import { spawnSync } from 'node:child_process';

export interface HostileCase {
  name: string;
  /** TypeScript run from the repository root; prints one line saying what it did. */
  script: string;
}

export interface HostileResult {
  name: string;
  ms: number;
  /** From the script's first line to the process's exit, inside the process (loading the modules included). */
  inProcessMs: number;
  peakMb: number;
  said: string;
  ok: boolean;
}

const CHUNKED = `const chunked = (text) => { const out = []; for (let i = 0; i < text.length; i += 16) out.push(text.slice(i, i + 16)); return out; };`;

export const HOSTILE_MODEL_CASES: HostileCase[] = [
  { name: 'baseline: a process that does nothing', script: "console.log('nothing')" },
  {
    name: 'token count, 1 MB of one letter',
    script: `const { countTextTokens } = require('./src/providers/tokenCount.ts'); console.log(countTextTokens('a'.repeat(1_000_000)) + ' tokens');`,
  },
  {
    name: 'token count, Finish(x + 400 KB of spaces',
    script: `const { countTextTokens } = require('./src/providers/tokenCount.ts'); console.log(countTextTokens('Finish(x' + ' '.repeat(400_000)) + ' tokens');`,
  },
  {
    name: 'plan parser, 160 K-char pending line in 16-char chunks',
    script: `${CHUNKED} const { PlanParser } = require('./src/core/plan/planParser.ts'); const p = new PlanParser(); let n = 0;
      for (const c of chunked('1. ' + 'a'.repeat(160_000) + '\\n2. search("x")')) n += p.push(c).length; n += p.flush().length; console.log(n + ' items');`,
  },
  {
    name: 'joiner parser, 160 K-char line in 16-char chunks',
    script: `${CHUNKED} const { JoinerParser } = require('./src/core/join/joinerParser.ts'); const p = new JoinerParser();
      for (const c of chunked('Thought: ' + 'word '.repeat(32_000) + '\\nAction: Finish(done)')) p.push(c); console.log(p.flush().decision);`,
  },
  {
    name: 'joiner parser, Finish(x + 400 KB of spaces',
    script: `${CHUNKED} const { JoinerParser } = require('./src/core/join/joinerParser.ts'); const p = new JoinerParser();
      for (const c of chunked('Finish(x' + ' '.repeat(400_000))) p.push(c); console.log(p.flush().decision);`,
  },
  {
    name: 'argument nested 3,000 deep',
    script: `const { PlanParser } = require('./src/core/plan/planParser.ts'); const p = new PlanParser();
      const items = [...p.push('1. search(' + '['.repeat(3000) + ')\\n2. search("b")'), ...p.flush()]; console.log(items.map((i) => i.kind).join(','));`,
  },
  {
    name: 'failure at the head of a 5,000-task chain',
    script: `const { TaskSchedule } = require('./src/core/taskSchedule.ts'); const s = new TaskSchedule(8); s.add(1, []);
      for (let i = 2; i <= 5000; i++) s.add(i, [i - 1]); console.log(s.complete(1, false).skip.length + ' skipped');`,
  },
  {
    name: 'a plan of 10,000 tasks, run to its answer',
    script: `const { runQuestion } = require('./src/core/runQuestion.ts'); const { ToolRegistry } = require('./src/core/toolRegistry.ts');
      const { createScriptedModel } = require('./test/support/scriptedModel.ts'); const { fakeTool } = require('./test/support/fakeTools.ts');
      const plan = Array.from({ length: 10_000 }, (_, i) => (i + 1) + '. search("q' + i + '")').join('\\n') + '\\njoin()';
      const joiner = createScriptedModel(['Action: Finish(done)']);
      runQuestion({ question: 'q', model: createScriptedModel([plan]), joinerModel: joiner, tools: new ToolRegistry([fakeTool('search')]), roots: ['/tmp'] })
        .then((s) => console.log(s.outcome + ', joiner request ' + joiner.requests[0].messages.reduce((n, m) => n + m.content.length, 0) + ' chars'));`,
  },
];

/** Runs each case in its own process; a case over `limitMs` is killed and reported as such. */
export function runHostileCases(cases: readonly HostileCase[], root: string, limitMs = 120_000): HostileResult[] {
  return cases.map(({ name, script }) => {
    const wrapped = `const t0 = performance.now();\n${script}\nprocess.on('exit', () => process.stderr.write('\\nPEAK ' + process.resourceUsage().maxRSS + ' ' + (performance.now() - t0) + '\\n'));`;
    const start = performance.now();
    const child = spawnSync(process.execPath, ['--import', 'tsx', '-e', wrapped], { cwd: root, encoding: 'utf8', timeout: limitMs, killSignal: 'SIGKILL' });
    const ms = performance.now() - start;
    const peak = /PEAK (\d+) ([\d.]+)/.exec(child.stderr ?? '');
    const ok = child.status === 0;
    return { name, ms, inProcessMs: peak ? Number(peak[2]) : NaN, peakMb: peak ? Number(peak[1]) / 1024 : NaN, said: ok ? child.stdout.trim() : `did not finish (${child.signal ?? child.status})`, ok };
  });
}

export function formatHostile(results: readonly HostileResult[]): string {
  const width = Math.max(...results.map((r) => r.name.length));
  return results
    .map((r) => `  ${r.name.padEnd(width)}  ${(r.ms / 1000).toFixed(2).padStart(6)} s (${(r.inProcessMs / 1000).toFixed(2)} s inside)  ${r.peakMb.toFixed(0).padStart(5)} MB peak  ${r.said}`)
    .join('\n');
}
