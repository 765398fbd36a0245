// The symbol tools' first and later results on a real project of a few hundred TypeScript files, beside the
// TypeScript compiler's own parse and check of the same files. Every figure comes from a fresh process.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** One symbol tool's first call in a fresh process, cold and with the warm-up started earlier, and a later call. */
export interface FirstCall {
  tool: string;
  call: string;
  coldMs: number;
  /** First result when the warm-up started `plannerMs` earlier, as when a question arrives. */
  warmedUpMs: number;
  /** The next call of the same tool in the same process, on other arguments. */
  nextMs: number;
}

export interface SymbolSpeed {
  files: number;
  parseMs: number;
  checkMs: number;
  plannerMs: number;
  calls: FirstCall[];
}

/** Each tool with a first and a next call: lookups by name need the parse only, references also the type checker. */
const CALLS: Array<{ tool: string; first: Record<string, string>; next: Record<string, string> }> = [
  { tool: 'symbols', first: { query: 'OpenAIError' }, next: { query: 'APIPromise' } },
  { tool: 'definition', first: { name_or_location: 'OpenAIError' }, next: { name_or_location: 'APIPromise' } },
  { tool: 'outline', first: { path: 'src/client.ts' }, next: { path: 'src/core/error.ts' } },
  { tool: 'references', first: { name_or_location: 'APIPromise' }, next: { name_or_location: 'OpenAIError' } },
];

function child(root: string, script: string): Record<string, number> {
  const out = spawnSync(process.execPath, ['--import', 'tsx', '-e', script], { cwd: root, encoding: 'utf8', timeout: 300_000 });
  if (out.status !== 0) throw new Error(`symbol bench child failed: ${out.stderr}`);
  return JSON.parse(out.stdout.trim().split('\n').at(-1)!) as Record<string, number>;
}

/** Copies the sources of the `openai` package (shipped in node_modules as .ts) out of node_modules, where the tools do not look. */
export function symbolProject(root: string): { dir: string; files: number } {
  const src = path.join(root, 'node_modules', 'openai', 'src');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'llmc-bench-openai-'));
  fs.cpSync(src, path.join(dir, 'src'), { recursive: true });
  const files = (fs.readdirSync(path.join(dir, 'src'), { recursive: true }) as string[]).filter((f) => f.endsWith('.ts')).length;
  return { dir, files };
}

export function runSymbolSpeed(root: string, plannerMs = 1_500): SymbolSpeed {
  const { dir, files } = symbolProject(root);
  try {
    const tsc = child(
      root,
      `const ts = require('typescript'); const fs = require('node:fs'); const path = require('node:path');
       const dir = ${JSON.stringify(path.join(dir, 'src'))};
       const files = fs.readdirSync(dir, { recursive: true }).filter((f) => f.endsWith('.ts')).map((f) => path.join(dir, f));
       const t0 = performance.now();
       const program = ts.createProgram(files, { noEmit: true, lib: ['lib.es2022.d.ts'], types: [], skipLibCheck: true, target: ts.ScriptTarget.ESNext, module: ts.ModuleKind.ESNext, moduleResolution: ts.ModuleResolutionKind.Bundler });
       const t1 = performance.now();
       for (const sf of program.getSourceFiles()) program.getSemanticDiagnostics(sf);
       console.log(JSON.stringify({ parseMs: t1 - t0, checkMs: performance.now() - t1 }));`,
    );
    const query = `const { createNodeTools } = require('./src/tools/nodeTools.ts'); const { ToolRegistry } = require('./src/core/toolRegistry.ts');
       const { runTool, toolContext } = require('./test/support/toolHarness.ts');
       const tools = createNodeTools(); const ctx = () => toolContext([${JSON.stringify(dir)}]);
       const ask = async (name, args) => { const t = performance.now(); await runTool(tools, name, args, ctx()); return performance.now() - t; };`;
    const calls = CALLS.map(({ tool, first, next }) => {
      const cold = child(
        root,
        `${query} (async () => { const coldMs = await ask(${JSON.stringify(tool)}, ${JSON.stringify(first)});
          const nextMs = await ask(${JSON.stringify(tool)}, ${JSON.stringify(next)});
          console.log(JSON.stringify({ coldMs, nextMs })); process.exit(0); })();`,
      );
      const warmed = child(
        root,
        `${query} (async () => { new ToolRegistry(tools).warmUp([${JSON.stringify(dir)}], new AbortController().signal);
          await new Promise((r) => setTimeout(r, ${plannerMs}));
          const warmedUpMs = await ask(${JSON.stringify(tool)}, ${JSON.stringify(first)});
          console.log(JSON.stringify({ warmedUpMs })); process.exit(0); })();`,
      );
      const shown = Object.values(first).map((v) => JSON.stringify(v)).join(', ');
      return { tool, call: `${tool}(${shown})`, coldMs: cold.coldMs!, nextMs: cold.nextMs!, warmedUpMs: warmed.warmedUpMs! };
    });
    return { files, parseMs: tsc.parseMs!, checkMs: tsc.checkMs!, plannerMs, calls };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export function formatSymbolSpeed(s: SymbolSpeed): string {
  const sec = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
  const x = (ms: number) => `${(ms / s.parseMs).toFixed(1)}×`;
  return [
    `  project: the openai package's own sources, ${s.files} TypeScript files`,
    `  TypeScript compiler on the same files: parse ${sec(s.parseMs)}, check ${sec(s.checkMs)}`,
    `  first call of each tool in a fresh process (the first builds the program), and ${sec(s.plannerMs)} after the warm-up`,
    '  started (as when a question arrives and the planner writes), against the parse; then the next call:',
    '',
    '  | call | first, cold | ÷ parse | first, after warm-up | ÷ parse | next call |',
    '  |---|---|---|---|---|---|',
    ...s.calls.map((c) => `  | ${c.call} | ${sec(c.coldMs)} | ${x(c.coldMs)} | ${sec(c.warmedUpMs)} | ${x(c.warmedUpMs)} | ${sec(c.nextMs)} |`),
  ].join('\n');
}
