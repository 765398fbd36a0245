import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as ts from 'typescript';
import { createNodeTools } from '../../../../src/tools/nodeTools';
import { liveSymbolWorkers } from '../../../../src/tools/symbols/symbolWorker';
import { runTool, toolContext } from '../../../support/toolHarness';
import { oracleLanguageService } from '../../../support/oracles';

const FILES: Record<string, string> = {
  'd.ts': 'export function foo() {\n  return 1;\n}\n',
  'c.ts': "export async function main() {\n  const m = await import('./d');\n  return m.foo();\n}\n",
  'lib.js': "function hello() {\n  return 'hi';\n}\nmodule.exports = { hello };\n",
  'app.js': "const lib = require('./lib');\nlib.hello();\napp.get('/', (req, res) => res.send('x'));\n",
};

/** TypeScript's own language service over the files of a root, with its standard library: one per root. */
const oracles = new Map<string, ts.LanguageService>();
function oracleOf(root: string): ts.LanguageService {
  let service = oracles.get(root);
  if (!service) {
    const files = Object.keys(FILES).map((f) => path.join(root, f));
    const options: ts.CompilerOptions = { allowJs: true, target: ts.ScriptTarget.ESNext, module: ts.ModuleKind.ESNext, moduleResolution: ts.ModuleResolutionKind.Bundler, noEmit: true };
    service = oracleLanguageService(root, files, options);
    oracles.set(root, service);
  }
  return service;
}

/** `path:line:column` of every reference TypeScript's own language service finds. */
function oracleReferences(root: string, file: string, line: number, column: number): string[] {
  const service = oracleOf(root);
  const program = service.getProgram()!;
  const abs = path.join(root, file);
  const pos = program.getSourceFile(abs)!.getPositionOfLineAndCharacter(line - 1, column - 1);
  return (service.findReferences(abs, pos) ?? [])
    .flatMap((r) => r.references)
    .map((r) => {
      const lc = program.getSourceFile(r.fileName)!.getLineAndCharacterOfPosition(r.textSpan.start);
      return `${path.relative(root, r.fileName)}:${lc.line + 1}:${lc.character + 1}`;
    })
    .sort();
}

describe('symbol tools against the TypeScript compiler', function () {
  this.timeout(120_000);
  let root: string;
  const tools = createNodeTools();
  before(() => {
    root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'llmc-oracle-')));
    for (const [name, text] of Object.entries(FILES)) fs.writeFileSync(path.join(root, name), text);
  });
  after(() => fs.rmSync(root, { recursive: true, force: true }));

  it('finds uses through await import() as TypeScript does', async () => {
    const out = await runTool(tools, 'references', { name_or_location: 'd.ts:1:17' }, toolContext([root]));
    const found = (out.value as unknown as Array<{ path: string; line: number; column: number }>).map((h) => `${h.path}:${h.line}:${h.column}`).sort();
    assert.deepEqual(found, oracleReferences(root, 'd.ts', 1, 17));
    assert.ok(found.includes('c.ts:3:12'), found.join(' '));
  });

  it('agrees with TypeScript on CommonJS, and does not blame the language for a .js file it reads', async () => {
    const out = await runTool(tools, 'references', { name_or_location: 'lib.js:1:10' }, toolContext([root]));
    const found = (out.value as unknown as Array<{ path: string; line: number; column: number }>).map((h) => `${h.path}:${h.line}:${h.column}`).sort();
    assert.deepEqual(found, oracleReferences(root, 'lib.js', 1, 10));
    const none = await runTool(tools, 'definition', { name_or_location: 'app.js:3:32' }, toolContext([root]));
    assert.match(none.text, /^No definition found for the symbol at app\.js:3:32\. The TypeScript language service follows only what it can type/);
    assert.doesNotMatch(none.text, /files only/);
  });
});

describe('symbol tools warm-up', function () {
  this.timeout(120_000);
  it('builds the language service once for all four tools, and the first query finds it built', async () => {
    const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'llmc-warm-')));
    try {
      for (const [name, text] of Object.entries(FILES)) fs.writeFileSync(path.join(root, name), text);
      const tools = createNodeTools();
      const warmers = tools.filter((t) => t.warmUp);
      assert.deepEqual(warmers.map((t) => t.name).sort(), ['definition', 'outline', 'references', 'symbols']);
      const signal = new AbortController().signal;
      await Promise.all(warmers.map((t) => t.warmUp!({ roots: [root], signal })));
      const out = await runTool(tools, 'symbols', { query: 'hello' }, toolContext([root]));
      assert.match(out.text, /function hello — lib\.js:1/);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });

  it('starts no worker thread for a tree without TypeScript or JavaScript, and the query after it answers as without it', async () => {
    const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'llmc-warm-')));
    try {
      fs.mkdirSync(path.join(root, 'docs'));
      fs.writeFileSync(path.join(root, 'docs', 'a.md'), '# hello\n');
      const before = liveSymbolWorkers();
      const tools = createNodeTools();
      const signal = new AbortController().signal;
      await Promise.all(tools.filter((t) => t.warmUp).map((t) => t.warmUp!({ roots: [root], signal })));
      assert.equal(liveSymbolWorkers(), before, 'no worker thread started');
      const out = await runTool(tools, 'symbols', { query: 'hello' }, toolContext([root]));
      const cold = await runTool(createNodeTools(), 'symbols', { query: 'hello' }, toolContext([root]));
      assert.equal(out.text, cold.text);
      assert.deepEqual(out.value, cold.value);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});
