// `npm run bench`: every question in every mode under two model-server profiles, real tools, a model server that
// caches prompt prefixes. Options: --quick (zero latency: checks the suite, measures nothing), --only id[,id],
// --profiles hosted,local (default both: each in a process of its own, side by side; --one-process runs them one
// after the other in this one), --modes compiler,... (default all), --out DIR, --png (also render the charts
// as PNG with Chromium), --sections questions,weather,tools,startup,hostile,symbols,session (default all: the question
// suite, the weather example of scheduling alone, grep and find_files against raw ripgrep, what loading the extension
// costs, hostile input case by case, the symbol tools cold and warm, and five follow-up questions in one session with
// and without reuse).
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { SERVER_PROFILES } from '../support/modelServer/serving/serverProfiles';
import { ZERO_LATENCY } from '../support/modelServer/testServerScript';
import { benchMarkdown } from './report/benchMarkdown';
import type { BenchMode } from './suite/benchModes';
import { BENCH_MODES } from './suite/benchModes';
import { BENCH_QUESTIONS } from './suite/benchQuestions';
import { runBench } from './suite/benchSuite';
import { runProfilesApart } from './suite/profilesApart';
import { formatSession, runSessionBench } from './sections/sessionReuse';
import { formatStartup, measureStartup } from './sections/startupCost';
import { findChromium, svgsToPngs } from './report/svgToPng';
import { formatLargeTree, formatToolSpeed, runLargeTreeBench, runToolSpeedBench } from './sections/toolSpeed';
import { formatHostile, measureHostileTools, runHostileCase } from './sections/hostileTools';
import { HOSTILE_MODEL_CASES, formatHostile as formatHostileModel, runHostileCases } from './sections/hostileModel';
import { formatSymbolSpeed, runSymbolSpeed } from './sections/symbolSpeed';
import { weatherLines } from './sections/weatherExample';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      quick: { type: 'boolean' },
      only: { type: 'string' },
      profiles: { type: 'string' },
      modes: { type: 'string' },
      out: { type: 'string' },
      png: { type: 'boolean' },
      'one-process': { type: 'boolean' },
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
  const names = values.profiles?.split(',').map((p) => p.trim()) ?? SERVER_PROFILES.map((p) => p.name);
  const profiles = SERVER_PROFILES.filter((p) => names.includes(p.name)).map((p) => (values.quick ? { ...p, latency: ZERO_LATENCY } : p));
  if (profiles.length === 0) throw new Error(`no profile matches --profiles ${values.profiles}`);
  const modes = (values.modes?.split(',').map((m) => m.trim()) ?? BENCH_MODES) as BenchMode[];
  const unknown = modes.filter((m) => !BENCH_MODES.includes(m));
  if (unknown.length) throw new Error(`unknown mode: ${unknown.join(', ')}`);
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
    say('Tool speed — every search, files and git tool against the raw program it wraps, on a large tree made at bench time:');
    say(formatLargeTree(await runLargeTreeBench({ projectRoot: process.cwd(), dir: outDir, log: (line) => process.stderr.write(`${line}\n`) })));
    say();
  }
  if (sections.includes('hostile')) {
    say('Hostile input — each case in a fresh process (killed after 120 s): its own time apart from start-up, the longest event-loop stall, peak memory:');
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
    say('Symbol tools cold and warm — a large monorepo, beside ts.createProgram for the project that answers:');
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
  say(`LLM Compiler benchmark: ${modes.join(' vs ')}, under the ${profiles.map((p) => p.name).join(' and ')} model-server profiles`);
  say('Model: loopback OpenAI-compatible server with a prompt-prefix cache, scripted replies derived from one call list per question.');
  for (const p of profiles) say(`  ${p.name}: ${values.quick ? 'zero latency (--quick)' : p.description}`);
  say(`Questions: ${questions.length}, each in every mode. Results: ${outDir}`);
  say();

  const log = (line: string) => process.stderr.write(`${line}\n`);
  const passArgs = [...(values.only ? ['--only', values.only] : []), ...(values.modes ? ['--modes', values.modes] : []), ...(values.quick ? ['--quick'] : [])];
  const report =
    profiles.length > 1 && !values['one-process']
      ? await runProfilesApart({ script: process.argv[1]!, profiles: profiles.map((p) => p.name), args: passArgs, outDir, signal: controller.signal, log })
      : (await runBench({ projectRoot: process.cwd(), questions, profiles, modes, outDir, signal: controller.signal, log })).report;
  for (const repo of report.repositories) say(`Repository ${repo.name} (${repo.commits} commits), from ${repo.source}: ${repo.why}`);
  say();
  say(benchMarkdown(report));
  const chartNames = ['speedups', ...report.profiles.map((p) => `timeline-${p.profile}`)];
  const written = ['results.json', 'results.md', ...chartNames.map((c) => `${c}.svg`)];
  if (values.png) {
    const chromium = findChromium();
    if (!chromium) throw new Error('--png needs Chromium: set CHROMIUM_PATH');
    const charts = chartNames.map((name) => ({ svg: path.join(outDir, `${name}.svg`), png: path.join(outDir, `${name}.png`) }));
    await svgsToPngs(charts, chromium);
    written.push(...chartNames.map((c) => `${c}.png`));
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
