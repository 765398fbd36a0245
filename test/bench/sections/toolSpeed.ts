import { execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
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

/** Targets of the large-tree section: each tool's time over the raw program's, measured side by side. */
export const LARGE_TREE_TARGETS: Readonly<Record<string, number>> = { grep: 1.3, git_show: 1.5, git_diff: 1.5 };

/** Packages copied into the large tree: about 1,700 files of real JavaScript and TypeScript declarations. */
const LARGE_TREE_PACKAGES = ['eslint', '@typescript-eslint'];

export interface LargeTreeCase {
  tool: string;
  args: JsonObject;
  /** The raw program's command line (run in the tree, no shell). */
  raw: string[];
  rawMs: number;
  toolMs: number;
  ratio: number;
  target?: number;
}

export interface LargeTreeReport {
  tree: string;
  files: number;
  commits: number;
  repetitions: number;
  cases: LargeTreeCase[];
}

function gitSync(cwd: string, args: string[], env: NodeJS.ProcessEnv): string {
  return execFileSync('git', args, { cwd, env, encoding: 'utf8', maxBuffer: 512 * 1024 * 1024 });
}

/**
 * Builds the large tree at bench time, never committed: the packages copied from node_modules into a git repository
 * with a generated history (an import, edits spread over many files, a rename, a folder deleted) and an uncommitted
 * edit, so every git tool has real work.
 */
export function buildLargeTree(projectRoot: string, dir: string): { tree: string; files: number; commits: number } {
  const tree = path.join(dir, 'large-tree');
  fs.rmSync(tree, { recursive: true, force: true });
  fs.mkdirSync(tree, { recursive: true });
  for (const pkg of LARGE_TREE_PACKAGES) fs.cpSync(path.join(projectRoot, 'node_modules', pkg), path.join(tree, pkg), { recursive: true, dereference: true });
  const env: NodeJS.ProcessEnv = { ...process.env, GIT_CONFIG_GLOBAL: os.devNull, GIT_CONFIG_NOSYSTEM: '1', GIT_AUTHOR_NAME: 'Bench', GIT_AUTHOR_EMAIL: 'bench@example.com', GIT_COMMITTER_NAME: 'Bench', GIT_COMMITTER_EMAIL: 'bench@example.com' };
  for (const k of Object.keys(env)) if (k.startsWith('GIT_') && !['GIT_CONFIG_GLOBAL', 'GIT_CONFIG_NOSYSTEM', 'GIT_AUTHOR_NAME', 'GIT_AUTHOR_EMAIL', 'GIT_COMMITTER_NAME', 'GIT_COMMITTER_EMAIL'].includes(k)) delete env[k];
  gitSync(tree, ['init', '-q', '-b', 'main'], env);
  gitSync(tree, ['add', '-A'], env);
  gitSync(tree, ['commit', '-q', '-m', 'Import the packages'], env);
  const files = gitSync(tree, ['ls-files', '-z'], env).split('\0').filter((f) => f.endsWith('.js'));
  let commits = 1;
  // Ten commits, each editing every 20th JavaScript file (a different slice each time).
  for (let round = 0; round < 10; round++) {
    for (let i = round; i < files.length; i += 20) fs.appendFileSync(path.join(tree, files[i]!), `\n// edit ${round}: function bench${round}() { return ${i}; }\n`);
    gitSync(tree, ['commit', '-q', '-a', '-m', `Edit round ${round}`], env);
    commits++;
  }
  const renamed = files[0]!;
  gitSync(tree, ['mv', renamed, `${renamed}.moved.js`], env);
  gitSync(tree, ['commit', '-q', '-m', 'Move a file'], env);
  const folder = path.dirname(files[files.length - 1]!);
  gitSync(tree, ['rm', '-q', '-r', folder], env);
  gitSync(tree, ['commit', '-q', '-m', 'Delete a folder'], env);
  commits += 2;
  for (let i = 5; i < files.length; i += 40) if (fs.existsSync(path.join(tree, files[i]!))) fs.appendFileSync(path.join(tree, files[i]!), '\n// uncommitted\n');
  const count = gitSync(tree, ['ls-files', '-z'], env).split('\0').filter(Boolean).length;
  return { tree, files: count, commits };
}

/** Runs a program to the end, reading all of its output. */
function rawProgram(command: string, cwd: string, args: string[]): Promise<number> {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const child = spawn(command, args, { cwd, stdio: ['ignore', 'pipe', 'ignore'], env: { ...process.env, GIT_CONFIG_GLOBAL: os.devNull, GIT_CONFIG_NOSYSTEM: '1' } });
    child.stdout.on('data', () => undefined);
    child.on('error', reject);
    child.on('close', () => resolve(performance.now() - start));
  });
}

/** Each tool against the raw program it wraps, on the large tree: medians of interleaved runs after warm-ups. */
export async function runLargeTreeBench(opts: { projectRoot: string; dir: string; repetitions?: number; log?: (line: string) => void }): Promise<LargeTreeReport> {
  const { tree, files, commits } = buildLargeTree(opts.projectRoot, opts.dir);
  const rg = findRipgrep();
  if (!rg) throw new Error('The tools section compares with ripgrep: install it (apt-get install ripgrep).');
  const reps = opts.repetitions ?? 10;
  const tools = createNodeTools({ ripgrepPath: rg, symbolTools: false });
  const rev = (spec: string): string => execFileSync('git', ['rev-parse', spec], { cwd: tree, encoding: 'utf8' }).trim();
  const blamed = execFileSync('git', ['ls-files', '-z', '--', '*.js'], { cwd: tree, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 })
    .split('\0')
    .filter(Boolean)
    .map((f) => ({ f, size: fs.statSync(path.join(tree, f)).size }))
    .filter((x) => x.size < 60_000)
    .sort((a, b) => b.size - a.size || (a.f < b.f ? -1 : 1))[0]!.f;
  const edit = rev('HEAD~3');
  const fallback = createNodeTools({ useRipgrep: false, symbolTools: false });
  const specs: Array<{ tool: string; args: JsonObject; command: string; raw: string[]; fallback?: boolean }> = [
    { tool: 'grep', args: { pattern: 'function', case_sensitive: true, max_results: 500 }, command: rg, raw: ['--json', '--case-sensitive', '--fixed-strings', ...SELECTION, '--regexp', 'function', '.'] },
    { tool: 'grep', args: { pattern: '.{300,}', regex: true, case_sensitive: true, max_results: 500 }, command: rg, raw: ['--json', '--case-sensitive', ...SELECTION, '--regexp', '.{300,}', '.'], fallback: true },
    { tool: 'find_files', args: { glob: '**/*.js', max_results: 200 }, command: rg, raw: ['--files', ...SELECTION, '.'] },
    { tool: 'git_log', args: { max_count: 20 }, command: 'git', raw: ['log', '--max-count=20'] },
    { tool: 'git_log', args: { path: blamed, max_count: 20 }, command: 'git', raw: ['log', '--max-count=20', '--follow', '--', blamed] },
    { tool: 'git_show', args: { rev: edit }, command: 'git', raw: ['show', '--numstat', '--patch', edit] },
    { tool: 'git_show', args: { rev: 'HEAD~1' }, command: 'git', raw: ['show', '--numstat', '--patch', 'HEAD~1'] },
    { tool: 'git_diff', args: {}, command: 'git', raw: ['diff', '--numstat', '--patch', 'HEAD'] },
    { tool: 'git_diff', args: { path: blamed }, command: 'git', raw: ['diff', '--numstat', '--patch', 'HEAD', '--', blamed] },
    { tool: 'git_diff', args: { from: 'HEAD~5', to: 'HEAD~4' }, command: 'git', raw: ['diff', '--numstat', '--patch', 'HEAD~5', 'HEAD~4'] },
    { tool: 'git_blame', args: { path: blamed }, command: 'git', raw: ['blame', '--porcelain', '-L', '1,400', '--', blamed] },
  ];
  const cases: LargeTreeCase[] = [];
  for (const spec of specs) {
    const tool = (spec.fallback ? fallback : tools).find((t) => t.name === spec.tool)!;
    const sides = [
      () => rawProgram(spec.command, tree, spec.raw),
      async () => {
        const start = performance.now();
        await tool.run(spec.args, { roots: [tree], maxChars: 20_000, signal: new AbortController().signal });
        return performance.now() - start;
      },
    ];
    for (let i = 0; i < WARM_UPS; i++) for (const side of sides) await side();
    const times: number[][] = [[], []];
    for (let i = 0; i < reps; i++) {
      for (let k = 0; k < sides.length; k++) {
        const s = (i + k) % sides.length;
        times[s]!.push(await sides[s]!());
      }
    }
    const rawMs = median(times[0]!);
    const toolMs = median(times[1]!);
    const c: LargeTreeCase = { tool: spec.fallback ? `${spec.tool} (JS fallback)` : spec.tool, args: spec.args, raw: [path.basename(spec.command), ...spec.raw], rawMs, toolMs, ratio: toolMs / rawMs, ...(LARGE_TREE_TARGETS[spec.tool] && !spec.fallback ? { target: LARGE_TREE_TARGETS[spec.tool] } : {}) };
    opts.log?.(`${spec.tool} ${JSON.stringify(spec.args)}: raw ${rawMs.toFixed(1)} ms, tool ${toolMs.toFixed(1)} ms (${c.ratio.toFixed(2)}×)`);
    cases.push(c);
  }
  return { tree, files, commits, repetitions: reps, cases };
}

export function formatLargeTree(report: LargeTreeReport): string {
  const rows = [
    ['tool', 'args', 'raw program', 'raw', 'tool', 'ratio', 'target'],
    ...report.cases.map((c) => [
      c.tool,
      JSON.stringify(c.args).slice(0, 60),
      c.raw.join(' ').replace(/\s+/g, ' ').slice(0, 60),
      `${c.rawMs.toFixed(1)} ms`,
      `${c.toolMs.toFixed(1)} ms`,
      `${c.ratio.toFixed(2)}×`,
      c.target ? `≤ ${c.target}× ${c.ratio <= c.target ? 'met' : 'NOT met'}` : '',
    ]),
  ];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  const line = (r: string[]) => r.map((cell, i) => (i < 3 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ');
  return [
    `Tools on a large tree: ${report.files} files copied from node_modules (${LARGE_TREE_PACKAGES.join(', ')}), ${report.commits} generated commits; medians of ${report.repetitions} interleaved runs after ${WARM_UPS} warm-ups`,
    line(rows[0]!),
    ...rows.slice(1).map(line),
  ].join('\n');
}
