// The symbol tools' first and later results on a large monorepo of tsconfig projects, beside the TypeScript
// compiler's own `ts.createProgram` for the project that answers, measured in the same run. Every figure comes from a
// fresh process.
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
  /** The projects the first call's answer names. */
  answeredBy: string;
}

export interface SymbolSpeed {
  files: number;
  lines: number;
  projects: number;
  /** `ts.createProgram` for the project that answers (its files and the referenced sources it imports). */
  programMs: number;
  programFiles: number;
  /** `ts.createProgram` over every file of the tree at once, as one program. */
  wholeMs: number;
  plannerMs: number;
  calls: FirstCall[];
}

/** Packages of the generated monorepo; the first is referenced by the others. */
const PACKAGES = 4;
const FILES_PER_PACKAGE = 350;
const CLASSES_PER_FILE = 10;
const METHODS_PER_CLASS = 6;
const ANSWERING = 'p2';

const pad = (n: number) => String(n).padStart(4, '0');

/** One generated source file: classes that use the previous files' classes and, outside p0, one of p0's. */
function sourceFile(pkg: number, file: number): string {
  const lines: string[] = [];
  const prefix = `P${pkg}`;
  const earlier = [1, 2, 3].map((d) => file - d).filter((f) => f >= 0);
  for (const f of earlier) lines.push(`import { ${prefix}C${pad(f)}_0 } from './m${pad(f)}';`);
  if (pkg > 0) lines.push(`import { P0C${pad(file)}_1 } from '@p0/m${pad(file)}';`);
  lines.push('');
  for (let c = 0; c < CLASSES_PER_FILE; c++) {
    const name = `${prefix}C${pad(file)}_${c}`;
    lines.push(`/** Generated class ${c} of file ${file} in package ${pkg}. */`, `export class ${name} {`, `  private total = ${c};`);
    for (let m = 0; m < METHODS_PER_CLASS; m++) {
      lines.push(`  step${m}(value: number): number {`, `    const next = value * ${m + 1} + this.total;`, '    this.total = next % 1000;', '    return this.total;', '  }');
    }
    const uses = earlier.map((f) => `new ${prefix}C${pad(f)}_0().step0(seed)`);
    if (pkg > 0) uses.push(`new P0C${pad(file)}_1().step1(seed)`);
    lines.push('}', `export function make${name}(seed: number): number {`, `  return ${[`new ${name}().step${c % METHODS_PER_CLASS}(seed)`, ...uses].join(' + ')};`, '}', '');
  }
  return `${lines.join('\n')}\n`;
}

/** Writes the monorepo: a solution tsconfig.json referencing one project per package. Deterministic. */
export function symbolProject(): { dir: string; files: number; lines: number } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'llmc-bench-monorepo-'));
  const options = { target: 'ES2022', module: 'ESNext', moduleResolution: 'Bundler', strict: true, composite: true, skipLibCheck: true, lib: ['ES2022'], types: [] };
  const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;
  fs.writeFileSync(path.join(dir, 'tsconfig.json'), json({ files: [], references: [...Array(PACKAGES).keys()].map((p) => ({ path: `packages/p${p}` })) }));
  let files = 0;
  let lines = 0;
  for (let p = 0; p < PACKAGES; p++) {
    const pkg = path.join(dir, 'packages', `p${p}`);
    fs.mkdirSync(path.join(pkg, 'src'), { recursive: true });
    const compilerOptions = p === 0 ? options : { ...options, paths: { '@p0/*': ['../p0/src/*'] } };
    fs.writeFileSync(path.join(pkg, 'tsconfig.json'), json({ compilerOptions, include: ['src'], ...(p === 0 ? {} : { references: [{ path: '../p0' }] }) }));
    for (let f = 0; f < FILES_PER_PACKAGE; f++) {
      const text = sourceFile(p, f);
      fs.writeFileSync(path.join(pkg, 'src', `m${pad(f)}.ts`), text);
      files++;
      lines += text.split('\n').length - 1;
    }
  }
  return { dir, files, lines };
}

/** Lookups by name need the answering project's parse, references also its type checker; an outline one file. */
const CALLS: Array<{ tool: string; first: Record<string, string>; next: Record<string, string> }> = [
  { tool: 'symbols', first: { query: 'P2C0200_3' }, next: { query: 'P2C0100_4' } },
  { tool: 'definition', first: { name_or_location: 'P2C0200_3' }, next: { name_or_location: 'packages/p2/src/m0101.ts:1:10' } },
  { tool: 'references', first: { name_or_location: 'P2C0200_3' }, next: { name_or_location: 'P2C0100_0' } },
  { tool: 'outline', first: { path: 'packages/p2/src/m0200.ts' }, next: { path: 'packages/p2/src/m0100.ts' } },
];

function child(root: string, script: string): Record<string, number | string> {
  const out = spawnSync(process.execPath, ['--import', 'tsx', '-e', script], { cwd: root, encoding: 'utf8', timeout: 600_000 });
  if (out.status !== 0) throw new Error(`symbol bench child failed: ${out.stderr}`);
  return JSON.parse(out.stdout.trim().split('\n').at(-1)!) as Record<string, number | string>;
}

/** `ts.createProgram` for one tsconfig.json, referenced projects read from source as the editor (and the tools) do. */
function programScript(config: string): string {
  return `const ts = require('typescript');
    const host0 = { ...ts.sys, onUnRecoverableConfigFileDiagnostic() {} };
    const parsed = ts.getParsedCommandLineOfConfigFile(${JSON.stringify(config)}, undefined, host0);
    const host = ts.createCompilerHost(parsed.options);
    host.useSourceOfProjectReferenceRedirect = () => true;
    host.getParsedCommandLine = (file) => ts.getParsedCommandLineOfConfigFile(file, undefined, host0);
    const t0 = performance.now();
    const program = ts.createProgram({ rootNames: parsed.fileNames, options: parsed.options, projectReferences: parsed.projectReferences, host });
    console.log(JSON.stringify({ ms: performance.now() - t0, files: program.getSourceFiles().length }));`;
}

export function runSymbolSpeed(root: string, plannerMs = 1_500): SymbolSpeed {
  const { dir, files, lines } = symbolProject();
  try {
    const program = child(root, programScript(path.join(dir, 'packages', ANSWERING, 'tsconfig.json')));
    const whole = child(
      root,
      `const ts = require('typescript'); const fs = require('node:fs'); const path = require('node:path');
       const dir = ${JSON.stringify(dir)};
       const files = fs.readdirSync(dir, { recursive: true }).filter((f) => f.endsWith('.ts')).map((f) => path.join(dir, f));
       const options = { noEmit: true, lib: ['lib.es2022.d.ts'], types: [], skipLibCheck: true, target: ts.ScriptTarget.ESNext, module: ts.ModuleKind.ESNext, moduleResolution: ts.ModuleResolutionKind.Bundler, paths: { '@p0/*': ['packages/p0/src/*'] }, baseUrl: dir };
       const t0 = performance.now(); ts.createProgram(files, options);
       console.log(JSON.stringify({ ms: performance.now() - t0 }));`,
    );
    const query = `const { createNodeTools } = require('./src/tools/nodeTools.ts'); const { ToolRegistry } = require('./src/core/toolRegistry.ts');
       const { runTool, toolContext } = require('./test/support/toolHarness.ts');
       const tools = createNodeTools(); const ctx = () => toolContext([${JSON.stringify(dir)}]);
       const ask = async (name, args) => { const t = performance.now(); const out = await runTool(tools, name, args, ctx()); return { ms: performance.now() - t, out }; };
       const projectOf = (out) => (/\\(((?:answered by the )?projects? [^)]*\\)?)\\)/.exec(out.text.split('\\n').slice(0, 2).join(' ')) || [])[1] || '';`;
    const calls = CALLS.map(({ tool, first, next }) => {
      const cold = child(
        root,
        `${query} (async () => { const a = await ask(${JSON.stringify(tool)}, ${JSON.stringify(first)});
          const b = await ask(${JSON.stringify(tool)}, ${JSON.stringify(next)});
          console.log(JSON.stringify({ coldMs: a.ms, nextMs: b.ms, answeredBy: projectOf(a.out) })); process.exit(0); })();`,
      );
      const warmed = child(
        root,
        `${query} (async () => { new ToolRegistry(tools).warmUp([${JSON.stringify(dir)}], new AbortController().signal);
          await new Promise((r) => setTimeout(r, ${plannerMs}));
          const a = await ask(${JSON.stringify(tool)}, ${JSON.stringify(first)});
          console.log(JSON.stringify({ warmedUpMs: a.ms })); process.exit(0); })();`,
      );
      const shown = Object.values(first).map((v) => JSON.stringify(v)).join(', ');
      return {
        tool,
        call: `${tool}(${shown})`,
        coldMs: Number(cold.coldMs),
        nextMs: Number(cold.nextMs),
        warmedUpMs: Number(warmed.warmedUpMs),
        answeredBy: String(cold.answeredBy ?? ''),
      };
    });
    return {
      files,
      lines,
      projects: PACKAGES,
      programMs: Number(program.ms),
      programFiles: Number(program.files),
      wholeMs: Number(whole.ms),
      plannerMs,
      calls,
    };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export function formatSymbolSpeed(s: SymbolSpeed): string {
  const sec = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
  const x = (ms: number) => `${(ms / s.programMs).toFixed(2)}×`;
  return [
    `  project: a generated monorepo of ${s.files.toLocaleString('en-US')} TypeScript files, ${s.lines.toLocaleString('en-US')} lines, ${s.projects} tsconfig.json projects (one referenced by the others) under a solution tsconfig.json`,
    `  ts.createProgram for the project that answers (packages/${ANSWERING}, ${s.programFiles} files with the referenced sources it imports): ${sec(s.programMs)};`,
    `  for every file as one program: ${sec(s.wholeMs)}`,
    `  first call of each tool in a fresh process, cold and ${sec(s.plannerMs)} after the warm-up started (as when a question`,
    '  arrives and the planner writes), against that project\'s createProgram; then the next call:',
    '',
    '  | call | answered by | first, cold | ÷ createProgram | first, after warm-up | ÷ createProgram | next call |',
    '  |---|---|---|---|---|---|---|',
    ...s.calls.map((c) => `  | ${c.call} | ${c.answeredBy || '—'} | ${sec(c.coldMs)} | ${x(c.coldMs)} | ${sec(c.warmedUpMs)} | ${x(c.warmedUpMs)} | ${sec(c.nextMs)} |`),
  ].join('\n');
}
