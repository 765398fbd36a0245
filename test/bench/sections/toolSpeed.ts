import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { JsonObject } from '../../../src/shared/json';
import type { Tool } from '../../../src/shared/toolContract';
import { planGlob } from '../../../src/tools/search/globPlan';
import { IgnoreRules } from '../../../src/tools/paths/ignoreRules';
import { createNodeTools } from '../../../src/tools/nodeTools';
import { rgFilesArgs, rgSelectionArgs } from '../../../src/tools/search/ripgrep';
import { findRipgrep } from '../../../src/tools/search/ripgrepPath';
import { median } from '../report/benchMetrics';

/** Target: a tool within 10% of raw ripgrep doing the same search. */
export const TARGET_RATIO = 1.1;

/** Untimed rounds of every side before timing a case. */
const WARM_UPS = 3;

/** The selection flags of the tools, for the plain `rg --glob` reference runs. */
const SELECTION = ['--hidden', '--no-require-git', '--no-ignore-global', '--no-config', '--glob', '!.git'];

export interface ToolSpeedCase {
  name: string;
  tool: string;
  args: JsonObject;
  /** The command line the tool gives ripgrep, run raw (in the tree, no shell). */
  rawArgs: string[];
  /** The same search written the usual way, `rg --glob <glob>` (faster for globs, but it re-admits ignored files). */
  globArgs: string[];
  /** Medians over the repetitions, milliseconds. */
  rawMs: number;
  toolMs: number;
  globMs: number;
  /** toolMs / rawMs: the tool's own overhead. */
  ratio: number;
  /** toolMs / globMs. */
  globRatio: number;
  /** Fastest runs, less sensitive to a busy machine than medians. */
  rawMinMs: number;
  toolMinMs: number;
  /** The tool on its JavaScript fallback, when measured. */
  fallbackMs?: number;
  /** Files or matching lines found by the tool and by raw ripgrep: they must agree. */
  toolResults: number;
  rawResults: number;
}

export interface ToolSpeedReport {
  tree: string;
  ripgrep: string;
  repetitions: number;
  cases: ToolSpeedCase[];
  targetRatio: number;
  /** Every case within the target ratio with the same results as raw ripgrep. */
  withinTarget: boolean;
}

export interface ToolSpeedOptions {
  /** A large real tree; default: this project's node_modules. */
  tree?: string;
  /** Timed runs per side and case (after the warm-ups); default 15. */
  repetitions?: number;
  /** Also time the JavaScript fallback (3 runs); default true. */
  fallback?: boolean;
  ripgrepPath?: string;
  log?: (line: string) => void;
}

interface Case {
  name: string;
  tool: 'find_files' | 'grep';
  args: { glob?: string; pattern?: string; regex?: boolean; case_sensitive?: boolean; max_results?: number };
  /** Capped: raw rg runs with `--sort path` and is read until one match past max_results, as the tool's answer is. */
  sorted?: boolean;
}

const CASES: Case[] = [
  { name: 'find_files **/*.d.ts', tool: 'find_files', args: { glob: '**/*.d.ts' } },
  { name: 'find_files *.json', tool: 'find_files', args: { glob: '*.json' } },
  { name: 'find_files typescript/**/*.ts', tool: 'find_files', args: { glob: 'typescript/**/*.ts' } },
  { name: 'grep literal', tool: 'grep', args: { pattern: 'createLanguageService', max_results: 500 } },
  { name: 'grep capped, vs rg --sort path', tool: 'grep', args: { pattern: 'function', case_sensitive: true, max_results: 50 }, sorted: true },
  { name: 'grep capped 500, vs rg --sort path', tool: 'grep', args: { pattern: 'return', case_sensitive: true, max_results: 500 }, sorted: true },
  { name: 'grep regex, **/*.d.ts', tool: 'grep', args: { pattern: 'class \\w+Error extends', regex: true, case_sensitive: true, glob: '**/*.d.ts', max_results: 500 } },
];

/** Runs rg to the end, reading all of its output; resolves with the time and the result count. */
function rawRun(rg: string, cwd: string, args: string[], stopAfter = Infinity): Promise<{ ms: number; results: number }> {
  const json = args[0] === '--json';
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const child = spawn(rg, args, { cwd, stdio: ['ignore', 'pipe', 'ignore'] });
    let pending = '';
    let results = 0;
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      const lines = (pending + chunk).split('\n');
      pending = lines.pop()!;
      for (const line of lines) if (line && (!json || line.startsWith('{"type":"match"'))) results++;
      if (results > stopAfter) child.kill('SIGKILL');
    });
    child.on('error', reject);
    child.on('close', () => resolve({ ms: performance.now() - start, results: Math.min(results, stopAfter) }));
  });
}

async function toolRun(tool: Tool, root: string, args: JsonObject): Promise<{ ms: number; results: number }> {
  const start = performance.now();
  const out = await tool.run(args, { roots: [root], maxChars: 6_000, signal: new AbortController().signal });
  const ms = performance.now() - start;
  // find_files shows at most max_results paths but states the total on its first line.
  const total = /^(\d+) files? match/.exec(out.text);
  return { ms, results: total ? Number(total[1]) : (out.value as unknown[]).length };
}

/** The command lines for a case: the tool's own, and the usual `--glob` form. */
function commandLines(c: Case, tree: string): { rawArgs: string[]; globArgs: string[] } {
  const rules = new IgnoreRules(tree);
  const plan = c.args.glob ? planGlob(c.args.glob, tree, rules) : undefined;
  const glob = c.args.glob ? ['--glob', c.args.glob] : [];
  if (c.tool === 'find_files') return { rawArgs: rgFilesArgs(plan, []), globArgs: ['--files', ...SELECTION, ...glob, '.'] };
  const query = { pattern: c.args.pattern!, regex: c.args.regex ?? false, caseSensitive: c.args.case_sensitive ?? false, contextLines: 0 };
  const flags = [...(query.regex ? [] : ['--fixed-strings']), query.caseSensitive ? '--case-sensitive' : '--ignore-case'];
  // A capped search is measured against the deterministic way to get the first matches from rg alone: sorted by
  // path (one thread), read until one match past the cap.
  const sort = c.sorted ? ['--sort', 'path'] : [];
  const rawArgs = ['--json', ...sort, ...flags, '--regexp', query.pattern, ...rgSelectionArgs(plan, [])];
  return { rawArgs, globArgs: ['--json', ...flags, ...SELECTION, ...glob, '--regexp', query.pattern, '.'] };
}

/** find_files and grep against raw ripgrep on the same tree, measured side by side, medians and ratios. */
export async function runToolSpeedBench(opts: ToolSpeedOptions = {}): Promise<ToolSpeedReport> {
  const tree = fs.realpathSync(opts.tree ?? path.resolve(__dirname, '..', '..', '..', 'node_modules'));
  const rg = findRipgrep({ ripgrepPath: opts.ripgrepPath });
  if (!rg) throw new Error('The tool speed benchmark compares with ripgrep: install it (apt-get install ripgrep).');
  const reps = opts.repetitions ?? 15;
  const log = opts.log ?? (() => undefined);
  const withRg = createNodeTools({ ripgrepPath: rg, symbolTools: false });
  const withJs = createNodeTools({ useRipgrep: false, symbolTools: false });
  const byName = (tools: Tool[], name: string) => tools.find((t) => t.name === name)!;

  const cases: ToolSpeedCase[] = [];
  for (const c of CASES) {
    const { rawArgs, globArgs } = commandLines(c, tree);
    const tool = byName(withRg, c.tool);
    const stopAfter = c.sorted ? c.args.max_results : undefined;
    const sides = [() => rawRun(rg, tree, rawArgs, stopAfter), () => toolRun(tool, tree, c.args), () => rawRun(rg, tree, globArgs)];
    // Warm-ups, so every side runs on a warm file cache and the tool's code on optimised machine code, as it does
    // after a few calls in the editor.
    const [rawWarm, toolWarm] = [await sides[0](), await sides[1](), await sides[2]()];
    for (let i = 1; i < WARM_UPS; i++) for (const side of sides) await side();
    const times: number[][] = [[], [], []];
    // Interleaved runs, the order rotated each round, so drift in machine load and whatever one side leaves behind
    // (page cache, garbage) fall on every side alike.
    for (let i = 0; i < reps; i++) {
      for (let k = 0; k < sides.length; k++) {
        const s = (i + k) % sides.length;
        times[s].push((await sides[s]()).ms);
      }
    }
    const [rawMs, toolMs, globMs] = times;
    let fallbackMs: number | undefined;
    if (opts.fallback ?? true) {
      const runs: number[] = [];
      for (let i = 0; i < 3; i++) runs.push((await toolRun(byName(withJs, c.tool), tree, c.args)).ms);
      fallbackMs = median(runs);
    }
    const result: ToolSpeedCase = {
      name: c.name,
      tool: c.tool,
      args: c.args,
      rawArgs,
      globArgs,
      rawMs: median(rawMs),
      toolMs: median(toolMs),
      globMs: median(globMs),
      ratio: median(toolMs) / median(rawMs),
      globRatio: median(toolMs) / median(globMs),
      rawMinMs: Math.min(...rawMs),
      toolMinMs: Math.min(...toolMs),
      ...(fallbackMs !== undefined ? { fallbackMs } : {}),
      toolResults: toolWarm.results,
      rawResults: rawWarm.results,
    };
    log(`${c.name}: raw ${result.rawMs.toFixed(1)} ms, tool ${result.toolMs.toFixed(1)} ms (${result.ratio.toFixed(2)}×)`);
    cases.push(result);
  }
  return {
    tree,
    ripgrep: rg,
    repetitions: reps,
    cases,
    targetRatio: TARGET_RATIO,
    withinTarget: cases.every((c) => c.ratio <= TARGET_RATIO && c.toolResults === c.rawResults),
  };
}

export function formatToolSpeed(report: ToolSpeedReport): string {
  const ms = (v: number | undefined) => (v === undefined ? '–' : `${v.toFixed(1)} ms`);
  const rows = [
    ['case', 'raw rg', 'tool', 'ratio', 'min raw', 'min tool', 'rg --glob', 'tool/--glob', 'results tool/rg', 'JS fallback'],
    ...report.cases.map((c) => [
      c.name,
      ms(c.rawMs),
      ms(c.toolMs),
      `${c.ratio.toFixed(2)}×`,
      ms(c.rawMinMs),
      ms(c.toolMinMs),
      ms(c.globMs),
      `${c.globRatio.toFixed(2)}×`,
      `${c.toolResults}/${c.rawResults}`,
      ms(c.fallbackMs),
    ]),
  ];
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  const line = (r: string[]) => r.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  ');
  return [
    `Tool speed on ${report.tree} (${report.ripgrep}; medians of ${report.repetitions} interleaved runs after ${WARM_UPS} warm-ups; raw rg = the tool's own rg command line)`,
    line(rows[0]),
    ...rows.slice(1).map(line),
    `Target: within ${Math.round((report.targetRatio - 1) * 100)}% of raw ripgrep — ${report.withinTarget ? 'met' : 'NOT met'}.`,
  ].join('\n');
}
