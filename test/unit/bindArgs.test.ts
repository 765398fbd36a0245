import assert from 'node:assert/strict';
import { bindArgs, coerceToSchema } from '../../src/core/bindArgs';
import { PlanParser } from '../../src/core/planParser';
import type { PlannedTask, ToolSpec } from '../../src/shared/types';

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
});
