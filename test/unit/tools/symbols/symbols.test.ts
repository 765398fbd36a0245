import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CompilerError } from '../../../../src/base/errors';
import { createNodeTools } from '../../../../src/tools/nodeTools';
import { useGitFixture } from '../../../support/gitFixture';
import { rejectionOf, runTool, toolContext } from '../../../support/toolHarness';

interface Hit {
  path: string;
  line: number;
  column: number;
  text: string;
  name?: string;
  kind?: string;
  container?: string;
  isDefinition?: boolean;
}

const at = (hits: unknown): string[] => (hits as Hit[]).map((h) => `${h.path}:${h.line}:${h.column}`);

describe('symbol tools (TypeScript language service)', function () {
  // The first call builds the program.
  this.timeout(60_000);
  const fx = useGitFixture();
  const tools = createNodeTools();
  const run = (name: string, args: Record<string, string>) => runTool(tools, name, args, toolContext([fx.repo]));

  describe('symbols', () => {
    it('finds declarations by name, exact matches first, across .ts, .js and non-ASCII files', async () => {
      const out = await run('symbols', { query: 'add' });
      const hits = out.value as unknown as Hit[];
      assert.deepEqual(hits.slice(0, 2).map((h) => [h.kind, h.name, h.container ?? '', h.path, h.line]), [
        ['function', 'add', '', 'src/math.ts', 1],
        ['method', 'add', 'Calculator', 'src/math.ts', 12],
      ]);
      assert.ok(hits.some((h) => h.name === 'legacyAdd' && h.path === 'lib/legacy.js'));
      // The ignored build output declares `add` too; it is not indexed.
      assert.ok(!hits.some((h) => h.path.startsWith('build/')));
      assert.match(out.text, /^\d+ symbols matching "add":\nfunction add — src\/math\.ts:1\nmethod add \(in Calculator\) — src\/math\.ts:12/);
      const japan = await run('symbols', { query: 'greetJapan' });
      assert.deepEqual(at(japan.value), ['src/日本.ts:3:17']);
      assert.deepEqual(japan.locations?.[0], { path: path.join(fx.repo, 'src', '日本.ts'), relPath: 'src/日本.ts', line: 3, column: 17, endLine: 3, endColumn: 27 });
    });

    it('matches by camelCase abbreviation and prefix', async () => {
      const out = await run('symbols', { query: 'Calc' });
      assert.equal((out.value as unknown as Hit[])[0].name, 'Calculator');
      assert.equal((out.value as unknown as Hit[])[0].kind, 'class');
    });

    it('says what is covered when nothing matches', async () => {
      const out = await run('symbols', { query: 'helper_not_there' });
      assert.deepEqual(out.value, []);
      assert.match(out.text, /cover TypeScript and JavaScript files only; for other languages use grep/);
    });

    it('sees edits made after the service was built', async () => {
      const file = path.join(fx.repo, 'src', 'math.ts');
      const original = fs.readFileSync(file, 'utf8');
      try {
        fs.writeFileSync(file, `${original}\nexport function divideLater(a: number, b: number): number {\n  return a / b;\n}\n`);
        const future = new Date(Date.now() + 10_000);
        fs.utimesSync(file, future, future);
        const out = await run('symbols', { query: 'divideLater' });
        assert.equal((out.value as unknown as Hit[])[0]?.name, 'divideLater');
      } finally {
        fs.writeFileSync(file, original);
      }
    });
  });

  describe('definition', () => {
    it('finds every declaration of a name, and of Container.name', async () => {
      const all = await run('definition', { name_or_location: 'add' });
      assert.deepEqual(at(all.value), ['src/math.ts:1:17', 'src/math.ts:12:3']);
      const method = await run('definition', { name_or_location: 'Calculator.add' });
      assert.deepEqual(at(method.value), ['src/math.ts:12:3']);
      assert.match(method.text, /^1 definition of "Calculator\.add":\nmethod add \(in Calculator\) — src\/math\.ts:12\n {2}12: add\(value: number\): this \{$/);
    });

    it('resolves a use site by path:line:column through imports', async () => {
      // `add` in `return add(calc.result(), 1);`
      const out = await run('definition', { name_or_location: 'src/main.ts:6:10' });
      assert.deepEqual(at(out.value), ['src/math.ts:1:17']);
      const greet = await run('definition', { name_or_location: 'src/greet.ts:4:10' });
      assert.deepEqual(at(greet.value), ['src/helpers.ts:3:17']);
    });

    it('with only a line, resolves every identifier on it', async () => {
      const out = await run('definition', { name_or_location: 'src/main.ts:6' });
      const names = (out.value as unknown as Hit[]).map((h) => `${h.name}@${h.path}:${h.line}`);
      assert.deepEqual(names, ['add@src/math.ts:1', 'calc@src/main.ts:4', 'result@src/math.ts:17']);
    });

    it('refuses other languages with unsupported, naming the language', async () => {
      const error = await rejectionOf(run('definition', { name_or_location: 'scripts/tool.py:1' }));
      assert.ok(error instanceof CompilerError);
      assert.equal(error.reason, 'unsupported');
      assert.match(error.message, /Python/);
    });

    it('rejects input that is neither a name nor a location', async () => {
      const error = await rejectionOf(run('definition', { name_or_location: 'not a name' }));
      assert.equal((error as CompilerError).reason, 'invalid-args');
    });
  });

  describe('references', () => {
    it('finds the references of the function add, not of the method of the same name', async () => {
      const out = await run('references', { name_or_location: 'src/math.ts:1:17' });
      assert.deepEqual(at(out.value), ['src/main.ts:1:10', 'src/main.ts:6:10', 'src/math.ts:1:17', 'src/math.ts:13:18']);
      const defs = (out.value as unknown as Hit[]).filter((h) => h.isDefinition).map((h) => `${h.path}:${h.line}`);
      assert.deepEqual(defs, ['src/math.ts:1']);
      assert.match(out.text, /^4 references to the symbol at src\/math\.ts:1:17 in 2 files:\nsrc\/main\.ts\n {2}1:10: import \{ add, Calculator \} from '\.\/math';\n/);
    });

    it('by name, gathers all same-named declarations and says so', async () => {
      const out = await run('references', { name_or_location: 'add' });
      const keys = at(out.value);
      assert.ok(keys.includes('src/main.ts:5:8') && keys.includes('src/main.ts:6:10'), keys.join(' '));
      assert.match(out.text, /\(2 declarations share this name: function add at src\/math\.ts:1; method Calculator\.add at src\/math\.ts:12\)/);
    });

    it('follows a symbol across a renamed module', async () => {
      const out = await run('references', { name_or_location: 'shout' });
      assert.deepEqual(at(out.value), ['src/greet.ts:1:20', 'src/greet.ts:4:10', 'src/helpers.ts:3:17']);
    });

    it('with only a line, takes its first identifier', async () => {
      const out = await run('references', { name_or_location: 'src/math.ts:5' });
      assert.deepEqual(at(out.value), ['src/math.ts:5:17']);
    });
  });

  describe('outline', () => {
    it('lists declarations in file order with line ranges', async () => {
      const out = await run('outline', { path: 'src/math.ts' });
      assert.equal(
        out.text,
        [
          'src/math.ts (24 lines):',
          '  export function add (lines 1-3)',
          '  export function multiply (lines 5-7)',
          '  export class Calculator (lines 9-20)',
          '    private property total (line 10)',
          '    method add (lines 12-15)',
          '    method result (lines 17-19)',
          '  export function subtract (lines 22-24)',
        ].join('\n'),
      );
      assert.deepEqual((out.value as unknown as Array<{ name: string; depth: number }>).map((v) => `${v.depth}:${v.name}`), [
        '0:add', '0:multiply', '0:Calculator', '1:total', '1:add', '1:result', '0:subtract',
      ]);
      assert.deepEqual(out.locations?.[2], { path: path.join(fx.repo, 'src', 'math.ts'), relPath: 'src/math.ts', line: 9, endLine: 20 });
    });

    it('outlines JavaScript too', async () => {
      const out = await run('outline', { path: 'lib/legacy.js' });
      assert.match(out.text, /function legacyAdd \(lines 1-3\)/);
    });

    it('refuses other languages with unsupported, and folders with invalid-args', async () => {
      const py = await rejectionOf(run('outline', { path: 'scripts/tool.py' }));
      assert.equal((py as CompilerError).reason, 'unsupported');
      assert.match(py.message, /outline does not cover Python files \(scripts\/tool\.py\)/);
      const md = await rejectionOf(run('outline', { path: 'README.md' }));
      assert.equal((md as CompilerError).reason, 'unsupported');
      const folder = await rejectionOf(run('outline', { path: 'src' }));
      assert.equal((folder as CompilerError).reason, 'invalid-args');
    });
  });
});
