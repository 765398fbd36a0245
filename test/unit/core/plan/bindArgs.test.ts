import assert from 'node:assert/strict';
import { bindArgs, coerceToSchema, resolveArg } from '../../../../src/core/plan/bindArgs';
import type { RefSource } from '../../../../src/core/plan/bindArgs';
import { parseArgs } from '../../../../src/core/plan/argParser';
import { PlanParser } from '../../../../src/core/plan/planParser';
import type { JsonValue } from '../../../../src/shared/json';
import type { ToolSpec } from '../../../../src/shared/toolContract';
import type { PlannedTask } from '../../../../src/core/plan/planTree';

const readFile: ToolSpec = {
  name: 'read_file',
  description: 'reads',
  params: [
    { name: 'path', schema: { type: 'string' }, description: 'file' },
    { name: 'start_line', schema: { type: 'integer', minimum: 1 }, optional: true, description: 'first line' },
  ],
};

function task(line: string): PlannedTask {
  const item = [...new PlanParser().push(`${line}\n`)].find((i) => i.kind === 'task');
  assert.ok(item?.kind === 'task');
  return item.task;
}

describe('bindArgs', () => {
  const grepMatches = [
    { path: 'src/a.ts', line: 3, column: 1, text: 'x' },
    { path: 'src/a.ts', line: 9, column: 1, text: 'y' },
  ];

  it('passes a bare reference as the structured value, fitted to the parameter', () => {
    const args = bindArgs(task('2. read_file($1, start_line="12")'), readFile, () => ({ text: 'ignored', value: grepMatches }));
    assert.deepEqual(args, { path: 'src/a.ts', start_line: 12 });
  });

  it('puts the result text inside strings', () => {
    const args = bindArgs(task('2. read_file("dir/$1.ts")'), readFile, () => ({ text: 'name', value: ['other'] }));
    assert.equal(args.path, 'dir/name.ts');
  });

  it('refuses a list of different values for one string, saying so', () => {
    const value = [...grepMatches, { path: 'src/b.ts', line: 1, column: 1, text: 'z' }];
    assert.throws(
      () => bindArgs(task('2. read_file($1)'), readFile, () => ({ text: '', value })),
      (e: Error & { reason?: string }) => e.reason === 'invalid-args' && /list of 2 different values/.test(e.message),
    );
  });

  it('checks resolved values against the schema', () => {
    assert.throws(
      () => bindArgs(task('2. read_file("a", $1)'), readFile, () => ({ text: '0', value: 0 })),
      (e: Error & { reason?: string }) => e.reason === 'invalid-args' && /start_line" must be >= 1/.test(e.message),
    );
  });

  it('coerces numbers to text and one-item lists to their item', () => {
    assert.equal(coerceToSchema(42, { type: 'string' }, 'x'), '42');
    assert.equal(coerceToSchema(['only'], { type: 'string' }, 'x'), 'only');
    assert.deepEqual(coerceToSchema('a', { type: 'array' }, 'x'), ['a']);
  });

  describe('access paths', () => {
    const commits = [
      { hash: 'a1b2c3', author: 'Ann', date: '2024-05-01', subject: 'Fix retry' },
      { hash: 'd4e5f6', author: 'Bob', date: '2024-04-01', subject: 'Add retry' },
    ];
    const results: Record<number, RefSource> = {
      1: { text: 'src/a.ts:3: x\nsrc/a.ts:9: y\nsrc/b.ts:1: z', value: [...grepMatches, { path: 'src/b.ts', line: 1, column: 1, text: 'z' }] },
      2: { text: '2 commits', value: commits },
      3: { text: 'changed', value: { files: ['a.ts', 'b.ts'], stats: { added: 3 }, empty: [] } },
      4: { text: 'just text' },
      5: { text: '[]', value: [] },
    };
    const source = (id: number): RefSource => results[id]!;
    /** The single argument of `text`, resolved against the results above. */
    const resolve = (text: string): JsonValue => resolveArg(parseArgs(text).positional[0]!, source);

    function badReference(text: string): string {
      try {
        resolve(text);
      } catch (error) {
        assert.equal((error as { reason?: string }).reason, 'bad-reference', text);
        return (error as Error).message;
      }
      assert.fail(`expected a bad reference for ${text}`);
    }

    it('picks items by index, from the end with a negative one, and fields by name', () => {
      assert.deepEqual(resolve('$1[0]'), grepMatches[0]);
      assert.equal(resolve('$1[1].line'), 9);
      assert.equal(resolve('$1[-1].path'), 'src/b.ts');
      assert.equal(resolve('$1[-3].path'), 'src/a.ts');
      assert.equal(resolve('${2}[0].hash'), 'a1b2c3');
      assert.equal(resolve('$3.files[-1]'), 'b.ts');
      assert.deepEqual(resolve('$3.stats'), { added: 3 });
      assert.deepEqual(resolve('[$2[1].author, {h: $2[0].hash}]'), ['Bob', { h: 'a1b2c3' }]);
    });

    it('writes a picked value inside a string as text: strings as they are, anything else as compact JSON', () => {
      assert.equal(resolve('"${1[-1].path}:${1[-1].line}"'), 'src/b.ts:1');
      assert.equal(resolve('"stats ${3.stats}, files ${3.files}"'), 'stats {"added":3}, files ["a.ts","b.ts"]');
      assert.equal(resolve('"$1.ts"'), `${results[1]!.text}.ts`, 'without braces the text, then ".ts"');
    });

    it('binds a picked value to a parameter that a whole list could not fill', () => {
      const args = bindArgs(task('2. read_file($1[-1].path, start_line=$1[-1].line)'), readFile, source);
      assert.deepEqual(args, { path: 'src/b.ts', start_line: 1 });
    });

    it('names the indexes that exist when an index is out of range', () => {
      assert.equal(badReference('$1[5]'), '$1[5]: task 1 has 3 results (indexes 0-2, or -1 for the last)');
      assert.equal(badReference('$1[-4].path'), '$1[-4].path: task 1 has 3 results (indexes 0-2, or -1 for the last)');
      assert.equal(badReference('$5[0]'), '$5[0]: task 5 has no results');
      assert.equal(badReference('$3.files[2]'), '$3.files[2]: $3.files has 2 items (indexes 0-1, or -1 for the last)');
      assert.equal(badReference('$3.empty[0]'), '$3.empty[0]: $3.empty has no items');
      assert.equal(badReference('"see ${1[9].path}"'), '${1[9].path}: task 1 has 3 results (indexes 0-2, or -1 for the last)');
    });

    it('names the fields that exist when a field is missing', () => {
      assert.equal(badReference('$1[0].hash'), '$1[0].hash: $1[0] has no field "hash" (fields: path, line, column, text)');
      assert.equal(badReference('$3.hash'), '$3.hash: the value has no field "hash" (fields: files, stats, empty)');
      assert.equal(badReference('$1.path'), "$1.path: task 1's result is a list of 3 items, not an object; pick one first, e.g. $1[0].path");
      assert.equal(badReference('$3.files.name'), '$3.files.name: $3.files is a list of 2 items, not an object; pick one first, e.g. $3.files[0].name');
      assert.equal(badReference('$3[0]'), "$3[0]: task 3's result is an object, not a list");
      assert.equal(badReference('$1[0].line.x'), '$1[0].line.x: $1[0].line is a number, not an object');
    });

    it('refuses an access path into a plain-text result', () => {
      assert.equal(badReference('$4[0]'), "$4[0]: task 4's result is text, not a list");
      assert.equal(badReference('$4.path'), "$4.path: task 4's result is text, not an object");
      assert.equal(badReference('"${4.path}"'), "${4.path}: task 4's result is text, not an object");
      assert.equal(resolve('$4'), 'just text', 'a bare reference without a path still passes the text');
    });
  });
});
