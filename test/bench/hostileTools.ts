import { execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { JsonObject, Tool } from '../../src/shared/types';
import { createNodeTools } from '../../src/tools/nodeTools';
import { findRipgrep } from '../../src/tools/search/ripgrepPath';

/** One hostile input for the workspace tools: files laid out beforehand, then one call measured in a fresh process. */
interface HostileCase {
  name: string;
  setup(dir: string): void;
  /** Runs in the child; resolves with a short outcome (a count, or the error's reason). */
  run(dir: string): Promise<string>;
}

const LIMIT_MS = 120_000;

function write(file: string, text: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
}

async function call(tools: Tool[], name: string, args: JsonObject, root: string): Promise<string> {
  const tool = tools.find((t) => t.name === name)!;
  try {
    const out = await tool.run(args, { roots: [root], maxChars: 20_000, signal: new AbortController().signal });
    return Array.isArray(out.value) ? `${out.value.length} results` : 'ok';
  } catch (error) {
    return `refused (${(error as { reason?: string }).reason ?? (error as Error).message})`;
  }
}

const rgTools = () => createNodeTools({ ripgrepPath: findRipgrep(), symbolTools: false });
const jsTools = () => createNodeTools({ useRipgrep: false, symbolTools: false });

export const HOSTILE_TOOL_CASES: HostileCase[] = [
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
        const out = await tool.run({ pattern: 'pin', max_results: 50 }, { roots: [dir], maxChars: 50_000, signal: new AbortController().signal });
        answers.add(JSON.stringify(out.value));
      }
      return answers.size === 1 ? 'same lines every run' : `${answers.size} different answers`;
    },
  },
];

/** In the child process: runs one case and prints its outcome and peak memory as JSON. */
export async function runHostileCase(name: string, dir: string): Promise<void> {
  const c = HOSTILE_TOOL_CASES.find((x) => x.name === name);
  if (!c) throw new Error(`no hostile case ${name}`);
  const started = performance.now();
  const outcome = await c.run(dir);
  const callMs = performance.now() - started;
  process.stdout.write(`${JSON.stringify({ outcome, callMs, maxRssKb: process.resourceUsage().maxRSS })}\n`);
}

export interface HostileResult {
  name: string;
  /** Wall time of the child process, from spawn to exit (or to the kill). */
  ms: number;
  /** The call alone, timed inside the child (without loading the bundle); undefined when it was killed. */
  callMs?: number;
  /** Peak resident memory of the child; undefined when it was killed. */
  peakMb?: number;
  outcome: string;
}

/** Each case in a fresh process (`node <bench script> --hostile-case NAME --hostile-dir DIR`), killed after 120 s. */
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
      const parsed = line ? (JSON.parse(line) as { outcome: string; callMs: number; maxRssKb: number }) : undefined;
      const result: HostileResult = parsed
        ? { name: c.name, ms, callMs: parsed.callMs, peakMb: parsed.maxRssKb / 1024, outcome: parsed.outcome }
        : { name: c.name, ms, outcome: code === null ? `killed after ${LIMIT_MS / 1000} s` : `failed: ${out.trim().slice(0, 200)}` };
      log(`${c.name}: ${(ms / 1000).toFixed(2)} s (call ${((result.callMs ?? NaN) / 1000).toFixed(2)} s), ${result.peakMb?.toFixed(0) ?? '–'} MB, ${result.outcome}`);
      results.push(result);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }
  return results;
}

export function formatHostile(results: readonly HostileResult[]): string {
  const seconds = (ms: number | undefined) => (ms === undefined ? '–' : `${(ms / 1000).toFixed(2)} s`);
  const rows = [['case', 'process', 'the call', 'peak memory', 'outcome'], ...results.map((r) => [r.name, seconds(r.ms), seconds(r.callMs), r.peakMb === undefined ? '–' : `${r.peakMb.toFixed(0)} MB`, r.outcome])];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) => r.map((cell, i) => (i === 0 || i === 4 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ')).join('\n');
}
