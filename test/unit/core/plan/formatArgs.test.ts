import assert from 'node:assert/strict';
import { parseArgs } from '../../../../src/core/plan/argParser';
import { formatArgs } from '../../../../src/core/plan/formatArgs';

describe('formatArgs', () => {
  it('prints references with their access paths as written', () => {
    assert.equal(formatArgs(parseArgs('$1[0].path, start_line=${1}[0].line')), '$1[0].path, start_line=$1[0].line');
    assert.equal(formatArgs(parseArgs('$1[-1], $2.files[3], $3')), '$1[-1], $2.files[3], $3');
    assert.equal(formatArgs(parseArgs('"${1[0].path}:${1[0].line} and $2.ts"')), '"${1[0].path}:${1[0].line} and ${2}.ts"');
  });

  it('prints arguments that parse back to the same arguments', () => {
    for (const text of [
      '"a.ts", 10, end_line=40, verbose=true',
      '$1, [$2, "x", null], {"file": $3, "hits": [${4}]}',
      '$1[0].path, start_line=$1[0].line',
      '$12[-1].hash, [$2.files[3], {k: $3[0]._id2}]',
      '"${1[0].path}", "at ${1[-1].path}:${1[-1].line}!", "$1.ts", "$1[0]"',
      '"$$$1", "${1}[0]", "${1}.ts"',
      '"costs $$5", "a$$$$b", "^end$", ["$${x}"], {"k": "$$9"}',
    ]) {
      const args = parseArgs(text);
      const printed = formatArgs(args);
      assert.deepEqual(parseArgs(printed), args, `${text} -> ${printed}`);
      assert.equal(formatArgs(parseArgs(printed)), printed, `${printed} prints the same again`);
    }
  });
});
