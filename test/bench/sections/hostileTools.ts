import { execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { isAbortError } from '../../../src/base/errors';
import type { JsonObject } from '../../../src/shared/json';
import type { Tool } from '../../../src/shared/toolContract';
import { createNodeTools } from '../../../src/tools/nodeTools';
import { findRipgrep } from '../../../src/tools/search/ripgrepPath';

/** One hostile input for the workspace tools: files laid out beforehand, then one call measured in a fresh process. */
interface HostileCase {
  name: string;
  setup(dir: string): void;
  /** Runs in the child; resolves with a short outcome (a count, or the error's reason). Tool calls go through `timed`. */
  run(dir: string): Promise<string>;
}

/** When the first timed tool call of the case began and the last one ended (performance.now()). */
const callSpan: { start?: number; end?: number } = {};

/** A tool call, timed: a case's own time runs from just before its first call to the end of its last. */
async function timed<T>(call: () => Promise<T>): Promise<T> {
  callSpan.start ??= performance.now();
  try {
    return await call();
  } finally {
    callSpan.end = performance.now();
  }
}

const LIMIT_MS = 120_000;

const BASELINE = 'baseline: start the process, call nothing';

function write(file: string, text: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
}

async function call(tools: Tool[], name: string, args: JsonObject, root: string, signal = new AbortController().signal): Promise<string> {
  const tool = tools.find((t) => t.name === name)!;
  try {
    const out = await timed(() => tool.run(args, { roots: [root], maxChars: 20_000, signal }));
    return Array.isArray(out.value) ? `${out.value.length} results` : 'ok';
  } catch (error) {
    if (isAbortError(error)) return 'cancelled';
    return `refused (${(error as { reason?: string }).reason ?? (error as Error).message})`;
  }
}

const rgTools = () => createNodeTools({ ripgrepPath: findRipgrep(), symbolTools: false });
const jsTools = () => createNodeTools({ useRipgrep: false, symbolTools: false });

export const HOSTILE_TOOL_CASES: HostileCase[] = [
  {
    name: BASELINE,
    setup: () => undefined,
    run: async () => 'nothing',
  },
  {
    name: 'find_files, a glob of 8,000 "["',
    setup: (dir) => write(path.join(dir, 'a.txt'), 'x\n'),
    run: (dir) => call(jsTools(), 'find_files', { glob: '['.repeat(8_000) }, dir),
  },
  {
    name: 'list_dir, a .gitignore line of 12,000 "["',
    setup: (dir) => {
      write(path.join(dir, '.gitignore'), `${'['.repeat(12_000)}\n`);
      write(path.join(dir, 'a.txt'), 'x\n');
    },
    run: (dir) => call(jsTools(), 'list_dir', {}, dir),
  },
  {
    name: 'find_files, "*a" x 30 against a 200-character name',
    setup: (dir) => write(path.join(dir, `${'a'.repeat(200)}c`), 'x\n'),
    run: (dir) => call(jsTools(), 'find_files', { glob: `${'*a'.repeat(30)}*b` }, dir),
  },
  {
    name: 'grep "(a+)+$" (regex), JavaScript fallback, 10 MB',
    setup: (dir) => write(path.join(dir, 'runs.txt'), `${'a'.repeat(40)}!\n`.repeat(250_000)),
    run: (dir) => call(jsTools(), 'grep', { pattern: '(a+)+$', regex: true }, dir),
  },
  {
    name: 'grep "[a-z]{1,100}\\d" (regex), JavaScript fallback, one 2 MB line, cancelled after 1 s',
    // Linear on RE2, but one match call on the whole line takes many seconds: it must not hold the event loop.
    setup: (dir) => write(path.join(dir, 'line.txt'), `${'a'.repeat(2_000_000)}\n`),
    run: async (dir) => {
      const controller = new AbortController();
      const timer = setTimeout(() => controller.abort(), 1_000);
      const outcome = await call(jsTools(), 'grep', { pattern: '[a-z]{1,100}\\d', regex: true, case_sensitive: true }, dir, controller.signal);
      clearTimeout(timer);
      return outcome;
    },
  },
  {
    name: 'grep "a", max_results 500, a 50 MB file (ripgrep)',
    setup: (dir) => write(path.join(dir, 'big.txt'), 'a line with an a in it\n'.repeat(2_300_000)),
    run: (dir) => call(rgTools(), 'grep', { pattern: 'a', max_results: 500 }, dir),
  },
  {
    name: 'grep "a", max_results 500, one 1 MB line (ripgrep)',
    setup: (dir) => write(path.join(dir, 'line.txt'), `${'a'.repeat(1_000_000)}\n`),
    run: (dir) => call(rgTools(), 'grep', { pattern: 'a', max_results: 500 }, dir),
  },
  {
    name: 'grep "a", max_results 500, a 50 MB file (JavaScript fallback)',
    setup: (dir) => write(path.join(dir, 'big.txt'), 'a line with an a in it\n'.repeat(2_300_000)),
    run: (dir) => call(jsTools(), 'grep', { pattern: 'a', max_results: 500 }, dir),
  },
  {
    name: 'read_file of 4 named pipes, then exit',
    setup: (dir) => {
      for (let i = 0; i < 4; i++) execFileSync('mkfifo', [path.join(dir, `pipe${i}`)]);
    },
    run: async (dir) => {
      const tools = jsTools();
      const outcomes = await Promise.all([0, 1, 2, 3].map((i) => call(tools, 'read_file', { path: `pipe${i}` }, dir)));
      return outcomes[0]!;
    },
  },
  {
    name: 'list_dir, a .gitignore line of 8 brace groups and a 400 KB literal',
    setup: (dir) => {
      write(path.join(dir, '.gitignore'), `${'{a,b}'.repeat(8)}${'x'.repeat(400_000)}\n`);
      write(path.join(dir, 'a.txt'), 'x\n');
    },
    run: (dir) => call(jsTools(), 'list_dir', {}, dir),
  },
  {
    name: 'find_files "**" (JavaScript walker), a .gitignore of 20,000 short wildcard rules, 2,000 files',
    setup: (dir) => {
      write(path.join(dir, '.gitignore'), Array.from({ length: 20_000 }, (_, i) => `*${i.toString(36)}*q?z*`).join('\n'));
      for (let d = 0; d < 20; d++) for (let f = 0; f < 100; f++) write(path.join(dir, `dir${d}`, `file-${d}-${f}-abcdefghij.txt`), 'x\n');
    },
    run: (dir) => call(jsTools(), 'find_files', { glob: '**' }, dir),
  },
  {
    name: 'grep (ripgrep), a .cursorignore of 20,000 short wildcard rules, 2,000 files',
    setup: (dir) => {
      write(path.join(dir, '.cursorignore'), Array.from({ length: 20_000 }, (_, i) => `*${i.toString(36)}*q?z*`).join('\n'));
      for (let d = 0; d < 20; d++) for (let f = 0; f < 100; f++) write(path.join(dir, `dir${d}`, `file-${d}-${f}-abcdefghij.txt`), 'pin\n');
    },
    run: (dir) => call(rgTools(), 'grep', { pattern: 'pin', max_results: 500 }, dir),
  },
  {
    name: 'read_file, a 1 MB file of 20,000 tokens and key blocks',
    setup: (dir) => {
      const block = '-----BEGIN RSA PRIVATE KEY-----\n' + 'MIIEowIBAAKCAQEA7bq98XtI0wKlZ3s1Y5k2yXq0m1w0kQ3o7x8F3Jt+gk2v5d8a\n'.repeat(3) + '-----END RSA PRIVATE KEY-----\n';
      const lines: string[] = [];
      for (let i = 0; i < 10_000; i++) lines.push(`token${i} = "ghp_${String(i).padStart(36, 'a')}" xoxb-`);
      for (let i = 0; i < 200; i++) lines.push(block);
      write(path.join(dir, 'many.txt'), lines.join('\n'));
    },
    run: (dir) => call(jsTools(), 'read_file', { path: 'many.txt' }, dir),
  },
  {
    name: 'grep capped at 50 over 600 files, run 5 times',
    setup: (dir) => {
      for (let d = 0; d < 20; d++) {
        for (let f = 0; f < 30; f++) write(path.join(dir, `d${d}`, `f${f}.txt`), 'pin\n'.repeat(10));
      }
    },
    run: async (dir) => {
      const tools = rgTools();
      const tool = tools.find((t) => t.name === 'grep')!;
      const answers = new Set<string>();
      for (let i = 0; i < 5; i++) {
        const out = await timed(() => tool.run({ pattern: 'pin', max_results: 50 }, { roots: [dir], maxChars: 50_000, signal: new AbortController().signal }));
        answers.add(JSON.stringify(out.value));
      }
      return answers.size === 1 ? 'same lines every run' : `${answers.size} different answers`;
    },
  },
];

/** In the child process: runs one case and prints its outcome, times, longest event-loop stall and peak memory. */
export async function runHostileCase(name: string, dir: string): Promise<void> {
  const c = HOSTILE_TOOL_CASES.find((x) => x.name === name);
  if (!c) throw new Error(`no hostile case ${name}`);
  // From the process's start to here: Node's start-up and loading the bundle.
  const startupMs = performance.now();
  // The longest gap between ticks of a 5 ms timer while the case runs: how long the event loop was held at once.
  let last = performance.now();
  let stallMs = 0;
  const ticker = setInterval(() => {
    const now = performance.now();
    stallMs = Math.max(stallMs, now - last - 5);
    last = now;
  }, 5);
  const outcome = await c.run(dir);
  clearInterval(ticker);
  stallMs = Math.max(stallMs, performance.now() - last - 5);
  const callMs = callSpan.start === undefined ? 0 : callSpan.end! - callSpan.start;
  process.stdout.write(`${JSON.stringify({ outcome, startupMs, callMs, stallMs, maxRssKb: process.resourceUsage().maxRSS })}\n`);
}

export interface HostileResult {
  name: string;
  /** Wall time of the child process, from spawn to exit (or to the kill). */
  ms: number;
  /** Inside the child, from the process's start to the case's start (Node and the bundle loading). */
  startupMs?: number;
  /** The case's tool calls alone, timed inside the child: from just before the first to the end of the last. */
  callMs?: number;
  /** The longest the child's event loop was held at once while the case ran. */
  stallMs?: number;
  /** Peak resident memory of the child; undefined when it was killed. */
  peakMb?: number;
  outcome: string;
}

interface ChildReport {
  outcome: string;
  startupMs: number;
  callMs: number;
  stallMs: number;
  maxRssKb: number;
}

/**
 * Each case in a fresh process (`node <bench script> --hostile-case NAME --hostile-dir DIR`), killed after 120 s.
 * The first case is a baseline that calls nothing: on a loaded machine the start-up dominates a process's wall time,
 * so each case's own time is measured inside its process, and the baseline's wall time is what start-up costs here.
 */
export async function measureHostileTools(benchScript: string, log: (line: string) => void): Promise<HostileResult[]> {
  const results: HostileResult[] = [];
  for (const c of HOSTILE_TOOL_CASES) {
    const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'llmc-hostile-')));
    try {
      c.setup(dir);
      const started = performance.now();
      const child = spawn(process.execPath, [benchScript, '--hostile-case', c.name, '--hostile-dir', dir], { stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()));
      const timer = setTimeout(() => child.kill('SIGKILL'), LIMIT_MS);
      const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
      clearTimeout(timer);
      const ms = performance.now() - started;
      const line = out.split('\n').find((l) => l.startsWith('{"outcome"'));
      const parsed = line ? (JSON.parse(line) as ChildReport) : undefined;
      const result: HostileResult = parsed
        ? { name: c.name, ms, startupMs: parsed.startupMs, callMs: parsed.callMs, stallMs: parsed.stallMs, peakMb: parsed.maxRssKb / 1024, outcome: parsed.outcome }
        : { name: c.name, ms, outcome: code === null ? `killed after ${LIMIT_MS / 1000} s` : `failed: ${out.trim().slice(0, 200)}` };
      const s = (v: number | undefined) => `${((v ?? NaN) / 1000).toFixed(2)} s`;
      log(`${c.name}: ${s(ms)} (start-up ${s(result.startupMs)}, call ${s(result.callMs)}, longest stall ${s(result.stallMs)}), ${result.peakMb?.toFixed(0) ?? '–'} MB, ${result.outcome}`);
      results.push(result);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }
  return results;
}

export function formatHostile(results: readonly HostileResult[]): string {
  const seconds = (ms: number | undefined) => (ms === undefined ? '–' : `${(ms / 1000).toFixed(2)} s`);
  const baseline = results.find((r) => r.name === BASELINE);
  const rows = [
    ['case', 'process', 'minus baseline', 'start-up', 'the call', 'longest stall', 'peak memory', 'outcome'],
    ...results.map((r) => [
      r.name,
      seconds(r.ms),
      r === baseline || !baseline ? '–' : seconds(Math.max(0, r.ms - baseline.ms)),
      seconds(r.startupMs),
      r === baseline ? '–' : seconds(r.callMs),
      r === baseline ? '–' : seconds(r.stallMs),
      r.peakMb === undefined ? '–' : `${r.peakMb.toFixed(0)} MB`,
      r.outcome,
    ]),
  ];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  const last = rows[0]!.length - 1;
  const table = rows.map((r) => r.map((cell, i) => (i === 0 || i === last ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ').trimEnd());
  return [
    ...table,
    'process = the child\'s wall time; minus baseline = that less the wall time of the baseline process; start-up = Node and',
    'the bundle loading, inside the child; the call = the case\'s tool calls alone; longest stall = the longest the event',
    'loop was held at once during the case (the rule: ~100 ms at most).',
  ].join('\n');
}
