import assert from 'node:assert/strict';
import * as path from 'node:path';
import { LONGEST_FIRST, orderedTestFiles } from '../../support/runner/runTests';

// mocha's own file lookup, as `mocha "test/unit/**/*.test.ts"` expands a glob.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const lookupFiles = require('mocha/lib/cli/lookup-files') as (pattern: string, extensions: string[], recursive: boolean) => string[];

describe('npm test hands mocha its files', () => {
  const root = path.resolve(__dirname, '..', '..', '..');
  const files = orderedTestFiles(root);

  it('every test file of test/unit and test/webview, each once, as mocha finds them', () => {
    const byMocha = ['test/unit/**/*.test.ts', 'test/webview/**/*.test.ts']
      .flatMap((glob) => lookupFiles(path.join(root, glob), ['.ts'], false))
      .map((f) => path.relative(root, f).split(path.sep).join('/'));
    assert.equal(new Set(files).size, files.length);
    assert.deepEqual([...files].sort(), [...byMocha].sort());
    assert.ok(files.includes('test/unit/support/runTests.test.ts'));
  });

  it('the files of the longest folders first, in their order, then the rest in name order', () => {
    const folderOf = (f: string) => LONGEST_FIRST.findIndex((dir) => f.startsWith(`${dir}/`));
    const ranks = files.map((f) => (folderOf(f) < 0 ? LONGEST_FIRST.length : folderOf(f)));
    assert.deepEqual(ranks, [...ranks].sort((a, b) => a - b));
    assert.equal(files[0], 'test/webview/panel.test.ts');
    const rest = files.filter((f) => folderOf(f) < 0);
    assert.ok(rest.length > 50);
    assert.deepEqual(rest, [...rest].sort());
    // test/unit/mcp/ is its own folder, not a prefix of test/unit/mcpClient/.
    assert.ok(files.indexOf('test/unit/mcpClient/hostileServers.test.ts') < files.indexOf('test/unit/mcp/mcpServer.test.ts'));
  });
});
