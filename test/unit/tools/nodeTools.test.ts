import assert from 'node:assert/strict';
import Ajv from 'ajv';
import { ToolRegistry } from '../../../src/core/toolRegistry';
import type { JsonObject } from '../../../src/shared/json';
import { createNodeTools } from '../../../src/tools/nodeTools';
import { useGitFixture } from '../../support/gitFixture';
import { runTool, toolContext } from '../../support/toolHarness';

const ALL = ['list_dir', 'find_files', 'grep', 'read_file', 'symbols', 'definition', 'references', 'outline', 'git_log', 'git_show', 'git_blame', 'git_diff'];

/** The positional order the planner is promised. */
const SIGNATURES: Record<string, string[]> = {
  find_files: ['glob', 'max_results'],
  grep: ['pattern', 'glob', 'regex', 'case_sensitive', 'max_results', 'context_lines'],
  read_file: ['path', 'start_line', 'end_line'],
  list_dir: ['path', 'depth'],
  git_log: ['path', 'max_count', 'since', 'author', 'grep'],
  git_show: ['rev', 'path'],
  git_blame: ['path', 'start_line', 'end_line'],
  git_diff: ['from', 'to', 'path'],
  symbols: ['query'],
  definition: ['name_or_location'],
  references: ['name_or_location'],
  outline: ['path'],
};

describe('createNodeTools', () => {
  it('creates every tool, in a stable order, registrable in a ToolRegistry', () => {
    const tools = createNodeTools();
    assert.deepEqual(tools.map((t) => t.name), ALL);
    assert.deepEqual(new ToolRegistry(tools).names, ALL);
  });

  it('keeps only the included tools, and can leave out the symbol tools', () => {
    assert.deepEqual(createNodeTools({ include: ['grep', 'git_log', 'unknown'] }).map((t) => t.name), ['grep', 'git_log']);
    assert.deepEqual(
      createNodeTools({ symbolTools: false }).map((t) => t.name),
      ALL.filter((n) => !['symbols', 'definition', 'references', 'outline'].includes(n)),
    );
  });

  for (const tool of createNodeTools()) {
    it(`${tool.name}: documented signature, one-paragraph description, valid JSON Schemas`, () => {
      assert.deepEqual(tool.params.map((p) => p.name), SIGNATURES[tool.name]);
      // The description opens with the signature the planner calls.
      const signature = `${tool.name}(${tool.params.map((p) => `${p.name}${p.optional ? '?' : ''}`).join(', ')})`;
      assert.ok(tool.description.startsWith(signature), `${tool.description.slice(0, 80)} starts with ${signature}`);
      assert.ok(!tool.description.includes('\n'));
      assert.ok(tool.description.length > 150 && tool.description.length < 900, `${tool.description.length} chars`);
      // Required parameters come before optional ones, so positional calls work.
      const firstOptional = tool.params.findIndex((p) => p.optional);
      assert.ok(firstOptional === -1 || tool.params.slice(firstOptional).every((p) => p.optional));
      const ajv = new Ajv({ strict: true });
      for (const param of tool.params) {
        assert.ok(param.description.length > 5, param.name);
        assert.doesNotThrow(() => ajv.compile(param.schema), `${tool.name}.${param.name}`);
      }
    });
  }

  describe('every tool on the fixture', () => {
    const fx = useGitFixture();

    const calls: Array<[string, JsonObject]> = [
      ['list_dir', { depth: 6 }],
      ['find_files', { glob: '**' }],
      ['grep', { pattern: 'line', max_results: 500 }],
      ['read_file', { path: 'data/long.txt' }],
      ['symbols', { query: 'a' }],
      ['definition', { name_or_location: 'src/main.ts:6' }],
      ['references', { name_or_location: 'add' }],
      ['outline', { path: 'src/math.ts' }],
      ['git_log', {}],
      ['git_show', { rev: 'HEAD~1' }],
      ['git_blame', { path: 'data/long.txt' }],
      ['git_diff', { from: 'HEAD~4', to: 'HEAD' }],
    ];
    // One set of tools for both budgets: the symbol tools' language service is built once.
    const tools = createNodeTools();
    for (const maxChars of [200, 1_000]) {
      it(`keeps every text within maxChars=${maxChars}, marking any cut, with 1-based locations`, async function () {
        this.timeout(60_000);
        for (const [name, args] of calls) {
          const out = await runTool(tools, name, args, toolContext([fx.repo], { maxChars }));
          assert.ok(out.text.length <= maxChars, `${name}: ${out.text.length} > ${maxChars}`);
          if (out.truncated) assert.match(out.text, /… \[truncated: \d+ more lines?[;\]]/, name);
          for (const loc of out.locations ?? []) {
            assert.ok(loc.path.startsWith(fx.repo) && !loc.relPath.startsWith('/') && !loc.relPath.includes('\\'), `${name}: ${loc.relPath}`);
            if (loc.line !== undefined) assert.ok(loc.line >= 1, name);
            if (loc.column !== undefined) assert.ok(loc.column >= 1, name);
          }
          assert.notEqual(out.value, undefined, name);
        }
      });
    }
  });
});
