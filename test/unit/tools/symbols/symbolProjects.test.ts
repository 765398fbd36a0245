import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type * as ts from 'typescript';
import type { JsonObject } from '../../../../src/shared/json';
import type { Tool } from '../../../../src/shared/toolContract';
import { createDefinitionTool } from '../../../../src/tools/symbols/definition';
import { createOutlineTool } from '../../../../src/tools/symbols/outline';
import { createReferencesTool } from '../../../../src/tools/symbols/references';
import { createSymbolsTool } from '../../../../src/tools/symbols/symbols';
import { SymbolProjects } from '../../../../src/tools/symbols/tsProjects';
import type { ProjectLimits } from '../../../../src/tools/symbols/tsProjectSet';
import { ReadPolicy } from '../../../../src/tools/paths/readPolicy';
import type { NodeToolDeps } from '../../../../src/tools/toolDeps';
import { oracleConfigService } from '../../../support/oracles';
import { runTool, toolContext } from '../../../support/toolHarness';

// A monorepo of tsconfig projects (a solution config with references, a nested config, files in none) and a
// multi-root workspace of two folders with their own tsconfig.json: each answer comes from the project TypeScript's
// own language service would use for those files, set up from that tsconfig.json as an editor sets it up.

const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;
const OPTIONS = { target: 'ES2022', module: 'ESNext', moduleResolution: 'Bundler', strict: true, composite: true };

const MONOREPO: Record<string, string> = {
  'tsconfig.json': json({ files: [], references: [{ path: 'packages/core' }, { path: 'packages/app' }] }),
  'packages/core/tsconfig.json': json({ compilerOptions: OPTIONS, include: ['src'] }),
  'packages/core/src/shape.ts': 'export class Shape {\n  area(): number {\n    return 0;\n  }\n}\nexport function makeShape(): Shape {\n  return new Shape();\n}\n',
  // `@core/*` resolves only with this project's own paths.
  'packages/app/tsconfig.json': json({ compilerOptions: { ...OPTIONS, paths: { '@core/*': ['../core/src/*'] } }, include: ['src'], references: [{ path: '../core' }] }),
  'packages/app/src/main.ts': "import { Shape, makeShape } from '@core/shape';\nexport const shape: Shape = makeShape();\nexport const size = shape.area();\n",
  // A nested project of its own, with another alias for the same folder.
  'packages/app/test/tsconfig.json': json({ compilerOptions: { ...OPTIONS, composite: false, paths: { '#core/*': ['../../core/src/*'] } }, include: ['.'] }),
  'packages/app/test/main.test.ts': "import { Shape } from '#core/shape';\nexport const probe = new Shape().area();\n",
  // In no project: the folder's inferred one.
  'scripts/build.js': 'function buildAll() {\n  return 1;\n}\nmodule.exports = { buildAll };\n',
};

function writeTree(root: string, files: Record<string, string>): void {
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), text);
  }
}

/** TypeScript's language service for one tsconfig.json, and its program: built once per config, as the files never change. */
const oracles = new Map<string, { service: ts.LanguageService; program: ts.Program }>();
function configService(config: string): { service: ts.LanguageService; program: ts.Program } {
  let oracle = oracles.get(config);
  if (!oracle) {
    const service = oracleConfigService(config);
    oracle = { service, program: service.getProgram()! };
    oracles.set(config, oracle);
  }
  return oracle;
}

function where(program: ts.Program, root: string, fileName: string, pos: number): string {
  const lc = program.getSourceFile(fileName)!.getLineAndCharacterOfPosition(pos);
  return `${path.relative(root, fileName).split(path.sep).join('/')}:${lc.line + 1}:${lc.character + 1}`;
}

function positionOf(program: ts.Program, file: string, line: number, column: number): number {
  return program.getSourceFile(file)!.getPositionOfLineAndCharacter(line - 1, column - 1);
}

type Hit = { path: string; line: number; column: number; name?: string; project?: string };
const at = (h: Hit) => `${h.path}:${h.line}:${h.column}`;

function symbolTools(limits?: ProjectLimits): { tools: Tool[]; projects: SymbolProjects } {
  const search = { ripgrep: undefined, excludeGlobs: [] };
  const projects = new SymbolProjects(search, [], limits);
  const deps: NodeToolDeps = { search, gitPath: 'git', symbols: projects, readPolicy: () => new ReadPolicy() };
  return { tools: [createSymbolsTool(deps), createDefinitionTool(deps), createReferencesTool(deps), createOutlineTool(deps)], projects };
}

describe('symbol tools on a monorepo of tsconfig projects, against TypeScript\'s language service per project', function () {
  this.timeout(180_000);
  let root: string;
  let tools: Tool[];
  let projects: SymbolProjects;
  const call = async (tool: string, args: JsonObject) => runTool(tools, tool, args, toolContext([root]));

  before(() => {
    root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'llmc-monorepo-')));
    writeTree(root, MONOREPO);
    ({ tools, projects } = symbolTools());
  });
  after(() => {
    projects.close();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('resolves each file with its own project\'s options, and names the project that answered', async () => {
    for (const [file, config] of [['packages/app/src/main.ts', 'packages/app/tsconfig.json'], ['packages/app/test/main.test.ts', 'packages/app/test/tsconfig.json']] as const) {
      const oracle = configService(path.join(root, config));
      const abs = path.join(root, file);
      const pos = positionOf(oracle.program, abs, 1, 10);
      const theirs = (oracle.service.getDefinitionAtPosition(abs, pos) ?? []).map((d) => where(oracle.program, root, d.fileName, d.textSpan.start)).sort();
      assert.deepEqual(theirs, ['packages/core/src/shape.ts:1:14'], `TypeScript resolves the alias in ${config}`);
      const out = await call('definition', { name_or_location: `${file}:1:10` });
      assert.deepEqual((out.value as unknown as Hit[]).map(at).sort(), theirs, file);
      assert.match(out.text, new RegExp(`^1 definition of the symbol at ${file.replace(/\./g, '\\.')}:1:10 \\(project ${config.replace(/\./g, '\\.')}\\):`));
      assert.deepEqual((out.value as unknown as Hit[]).map((h) => h.project), [config]);
    }
  });

  it('finds references by name across every project that uses the name, as each project\'s service does', async () => {
    const theirs = new Set<string>();
    for (const config of ['packages/core/tsconfig.json', 'packages/app/tsconfig.json', 'packages/app/test/tsconfig.json']) {
      const oracle = configService(path.join(root, config));
      const decl = path.join(root, 'packages/core/src/shape.ts');
      for (const symbol of oracle.service.findReferences(decl, positionOf(oracle.program, decl, 1, 14)) ?? []) {
        for (const ref of symbol.references) theirs.add(where(oracle.program, root, ref.fileName, ref.textSpan.start));
      }
    }
    const out = await call('references', { name_or_location: 'Shape' });
    assert.deepEqual((out.value as unknown as Hit[]).map(at).sort(), [...theirs].sort());
    assert.ok(theirs.has('packages/app/test/main.test.ts:1:10') && theirs.has('packages/app/src/main.ts:2:21'), [...theirs].join(' '));
    assert.match(out.text, /\(answered by the projects [^)]*packages\/app\/tsconfig\.json/);
    assert.match(out.text, /\(answered by the projects [^)]*packages\/core\/tsconfig\.json/);
    assert.match(out.text, /\(answered by the projects [^)]*packages\/app\/test\/tsconfig\.json/);
  });

  it('answers a file in no tsconfig.json from its folder\'s inferred project, and says so', async () => {
    const out = await call('symbols', { query: 'buildAll' });
    assert.match(out.text, /^1 symbol matching "buildAll" \(project \(files in no tsconfig\.json\)\):\nfunction buildAll — scripts\/build\.js:1/);
  });

  it('keeps one service per project, at most the limit live, the least recently used dropped first', async () => {
    const limited = symbolTools({ maxLive: 1, idleMs: 600_000 });
    try {
      const ask = (tool: string, args: JsonObject) => runTool(limited.tools, tool, args, toolContext([root]));
      await ask('definition', { name_or_location: 'packages/app/src/main.ts:1:10' });
      const live = async () => {
        const { live: services, known } = await limited.projects.get([root]).query({ op: 'projects' }, new AbortController().signal);
        return { live: services.map((p) => path.relative(root, p.config ?? p.root)), known: known.map((p) => path.relative(root, p.config ?? p.root)).sort() };
      };
      assert.deepEqual(await live(), {
        live: ['packages/app/tsconfig.json'],
        known: ['', 'packages/app/test/tsconfig.json', 'packages/app/tsconfig.json', 'packages/core/tsconfig.json'],
      });
      await ask('definition', { name_or_location: 'packages/core/src/shape.ts:6:17' });
      assert.deepEqual((await live()).live, ['packages/core/tsconfig.json']);
      // A project dropped is built again when asked: the same answer.
      const again = await ask('definition', { name_or_location: 'packages/app/src/main.ts:1:10' });
      assert.deepEqual((again.value as unknown as Hit[]).map(at), ['packages/core/src/shape.ts:1:14']);
    } finally {
      limited.projects.close();
    }
  });

  it('drops a service left idle', async () => {
    const idle = symbolTools({ maxLive: 3, idleMs: 200 });
    try {
      const out = await runTool(idle.tools, 'definition', { name_or_location: 'packages/app/src/main.ts:1:10' }, toolContext([root]));
      assert.deepEqual((out.value as unknown as Hit[]).map(at), ['packages/core/src/shape.ts:1:14']);
      const project = idle.projects.get([root]);
      // Asking for the projects is not a use of one.
      const live = async () => (await project.query({ op: 'projects' }, new AbortController().signal)).live.length;
      let left = 1;
      for (let i = 0; i < 40 && left > 0; i++) {
        await sleep(250);
        left = await live();
      }
      assert.equal(left, 0);
    } finally {
      idle.projects.close();
    }
  });
});

describe('symbol tools in a multi-root workspace of two folders, each with its own tsconfig.json', function () {
  this.timeout(180_000);
  let base: string;
  let roots: string[];
  let tools: Tool[];
  let projects: SymbolProjects;
  const call = async (tool: string, args: JsonObject) => runTool(tools, tool, args, toolContext(roots));

  before(() => {
    base = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'llmc-multiroot-')));
    roots = ['web', 'api'].map((name) => path.join(base, name));
    for (const [i, root] of roots.entries()) {
      // The same alias in both folders, each to its own folder: only its own tsconfig.json resolves it right.
      writeTree(root, {
        '.gitignore': 'dist/\n',
        'tsconfig.json': json({ compilerOptions: { ...OPTIONS, composite: false, paths: { '@lib/*': ['./lib/*'] } }, include: ['src', 'lib'] }),
        'lib/widget.ts': `export class Widget${i} {}\nexport class Widget {\n  size = ${i};\n}\n`,
        'src/main.ts': "import { Widget } from '@lib/widget';\nexport const widget = new Widget();\n",
      });
    }
    ({ tools, projects } = symbolTools());
  });
  after(() => {
    projects.close();
    fs.rmSync(base, { recursive: true, force: true });
  });

  it('answers in each folder from that folder\'s project, results named by folder', async () => {
    for (const [i, name] of ['web', 'api'].entries()) {
      const oracle = configService(path.join(roots[i]!, 'tsconfig.json'));
      const abs = path.join(roots[i]!, 'src/main.ts');
      const theirs = (oracle.service.getDefinitionAtPosition(abs, positionOf(oracle.program, abs, 2, 27)) ?? []).map((d) => `${name}/${where(oracle.program, roots[i]!, d.fileName, d.textSpan.start)}`);
      assert.deepEqual(theirs, [`${name}/lib/widget.ts:2:14`]);
      const out = await call('definition', { name_or_location: `${name}/src/main.ts:2:27` });
      assert.deepEqual((out.value as unknown as Hit[]).map(at), theirs);
      assert.deepEqual((out.value as unknown as Hit[]).map((h) => h.project), [`${name}/tsconfig.json`]);
    }
    const widgets = await call('symbols', { query: 'Widget' });
    assert.match(widgets.text, /class Widget — api\/lib\/widget\.ts:2/);
    assert.match(widgets.text, /class Widget — web\/lib\/widget\.ts:2/);
    assert.match(widgets.text, /\(projects (api|web)\/tsconfig\.json, (api|web)\/tsconfig\.json\)/);
    const refs = await call('references', { name_or_location: 'Widget' });
    assert.deepEqual(
      (refs.value as unknown as Hit[]).map(at).sort(),
      ['api/lib/widget.ts:2:14', 'api/src/main.ts:1:10', 'api/src/main.ts:2:27', 'web/lib/widget.ts:2:14', 'web/src/main.ts:1:10', 'web/src/main.ts:2:27'],
    );
  });
});
