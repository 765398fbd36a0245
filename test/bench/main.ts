// `npm run bench`: the three modes on the same questions, real tools, a model with hosted-model latency.
// Options: --quick (zero latency: checks the suite, measures nothing), --only id[,id], --repeat N (median of N runs),
// --out DIR, --png (also render the charts as PNG with Chromium), --sections questions,weather,tools,startup,hostile,
// symbols,session (default all: the question suite, the weather example of scheduling alone, grep and find_files
// against raw ripgrep, what loading the extension costs, hostile input case by case, the symbol tools cold and warm,
// and five follow-up questions in one session with and without reuse).
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { ZERO_LATENCY } from '../support/testServerScript';
import { HOSTED_LATENCY } from './benchLatency';
import { benchMarkdown } from './benchMarkdown';
import { BENCH_QUESTIONS } from './benchQuestions';
import { BENCH_REPO } from './benchRepo';
import { runBench } from './benchSuite';
import { formatSession, runSessionBench } from './sessionReuse';
import { formatStartup, measureStartup } from './startupCost';
import { findChromium, svgsToPngs } from './svgToPng';
import { formatToolSpeed, runToolSpeedBench } from './toolSpeed';
import { formatHostile, measureHostileTools, runHostileCase } from './hostileTools';
import { HOSTILE_MODEL_CASES, formatHostile as formatHostileModel, runHostileCases } from './hostileModel';
import { formatSymbolSpeed, runSymbolSpeed } from './symbolSpeed';
import { weatherLines } from './weatherExample';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      quick: { type: 'boolean' },
      only: { type: 'string' },
      repeat: { type: 'string' },
      out: { type: 'string' },
      png: { type: 'boolean' },
      sections: { type: 'string' },
      // Internal: one hostile-input case, run in the child process that measures it.
      'hostile-case': { type: 'string' },
      'hostile-dir': { type: 'string' },
    },
  });
  if (values['hostile-case']) return runHostileCase(values['hostile-case'], values['hostile-dir'] ?? '.');
  const sections = (values.sections ?? 'questions,weather,tools,startup,hostile,symbols,session').split(',').map((s) => s.trim());
  const only = values.only?.split(',').map((s) => s.trim());
  const questions = only ? BENCH_QUESTIONS.filter((q) => only.includes(q.id)) : BENCH_QUESTIONS;
  if (questions.length === 0) throw new Error(`no question matches --only ${values.only}`);
  const latency = values.quick ? ZERO_LATENCY : HOSTED_LATENCY;
  const repeat = Number(values.repeat ?? 1);
  if (!Number.isInteger(repeat) || repeat < 1) throw new Error(`--repeat must be a whole number of at least 1, got ${values.repeat}`);
  const outDir = path.resolve(values.out ?? 'test-results/bench');
  const controller = new AbortController();
  process.once('SIGINT', () => controller.abort());

  const say = (line = '') => process.stdout.write(`${line}\n`);
  if (sections.includes('weather')) {
    say('Scheduling alone — three independent 100 ms searches, then a 100 ms comparison of their results:');
    for (const line of await weatherLines()) say(`  ${line}`);
    say();
  }
  if (sections.includes('tools')) {
    say('Tool speed — grep and find_files against the same raw ripgrep command on node_modules:');
    say(
      formatToolSpeed(
        await runToolSpeedBench({ tree: path.resolve('node_modules'), log: (line) => process.stderr.write(`${line}\n`) }),
      ),
    );
    say();
  }
  if (sections.includes('hostile')) {
    say('Hostile input — each case in a fresh process: wall time and peak memory (killed after 120 s):');
    say(formatHostile(await measureHostileTools(process.argv[1]!, (line) => process.stderr.write(`${line}\n`))));
    say();
  }
  if (sections.includes('startup')) {
    say('Start-up — the extension activates when VS Code starts, to offer its models in the Chat picker:');
    say(formatStartup(measureStartup(path.resolve('dist'))));
    say();
  }
  if (sections.includes('hostile')) {
    say('Hostile input — each case in a fresh process (tsx start-up included, see the baseline): wall time, peak memory:');
    say(formatHostileModel(runHostileCases(HOSTILE_MODEL_CASES, process.cwd())));
    say();
  }
  if (sections.includes('symbols')) {
    say('Symbol tools cold and warm — a real project, beside the TypeScript compiler on the same files:');
    say(formatSymbolSpeed(runSymbolSpeed(process.cwd())));
    say();
  }
  if (sections.includes('session')) {
    say('Session — five follow-up questions in one session, tool results reused or not (ajv, real tools):');
    say(
      formatSession(
        await runSessionBench({ projectRoot: process.cwd(), runs: values.quick ? 1 : 5, signal: controller.signal, log: (line) => process.stderr.write(`${line}\n`) }),
      ),
    );
    say();
  }
  if (!sections.includes('questions')) return;
  say('LLM Compiler benchmark: compiler vs ReAct vs plan-and-execute');
  say(`Repository: ${BENCH_REPO.name}, from ${BENCH_REPO.source}`);
  say(`  why: ${BENCH_REPO.why}`);
  say(
    `Model: loopback OpenAI-compatible server, scripted replies derived from one call list per question; ` +
      `latency: time to first token ${latency.ttftBaseMs} ms + ${latency.prefillMsPerToken} ms/prompt token, ` +
      `then ${latency.tokensPerSecond || '∞'} tokens/s. Token counts: o200k tokenizer on the prompts each mode really sends.`,
  );
  say(`Questions: ${questions.length}, each in every mode${repeat > 1 ? `, ${repeat} times (median reported)` : ''}. Results: ${outDir}`);
  say();

  const report = await runBench({
    projectRoot: process.cwd(),
    questions,
    latency,
    repeat,
    outDir,
    signal: controller.signal,
    log: (line) => process.stderr.write(`${line}\n`),
  });
  say(benchMarkdown(report));
  const written = ['results.json', 'results.md', 'timeline.svg', 'speedups.svg'];
  if (values.png) {
    const chromium = findChromium();
    if (!chromium) throw new Error('--png needs Chromium: set CHROMIUM_PATH');
    const charts = ['timeline', 'speedups'].map((name) => ({ svg: path.join(outDir, `${name}.svg`), png: path.join(outDir, `${name}.png`) }));
    await svgsToPngs(charts, chromium);
    written.push('timeline.png', 'speedups.png');
  }
  say(`Written: ${written.map((f) => path.join(outDir, f)).join(', ')}`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`bench: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
