import assert from 'node:assert/strict';
import { ArgSyntaxError, parseArgs } from '../../../../src/core/plan/argParser';
import { argRefs } from '../../../../src/core/plan/argRefs';
import type { JsonValue } from '../../../../src/shared/json';
import type { ArgExpr } from '../../../../src/core/plan/planTree';

const lit = (value: JsonValue): ArgExpr => ({ kind: 'literal', value });
const ref = (id: number): ArgExpr => ({ kind: 'ref', id });

/** The single positional argument of `text`. */
function one(text: string): ArgExpr {
  const args = parseArgs(text);
  assert.equal(args.positional.length, 1, `one positional argument in ${text}`);
  assert.deepEqual(args.named, []);
  return args.positional[0]!;
}

function syntaxError(text: string): ArgSyntaxError {
  try {
    parseArgs(text);
  } catch (error) {
    assert.ok(error instanceof ArgSyntaxError, `ArgSyntaxError for ${text}`);
    assert.equal(error.reason, 'plan-syntax');
    return error;
  }
  assert.fail(`expected a syntax error for ${text}`);
}

describe('parseArgs', () => {
  describe('literals', () => {
    it('reads double- and single-quoted strings with escapes', () => {
      assert.deepEqual(one('"weather San Francisco"'), lit('weather San Francisco'));
      assert.deepEqual(one("'it\\'s'"), lit("it's"));
      assert.deepEqual(one('"say \\"hi\\"\\n\\ttab \\\\ \\u00e9 \\/"'), lit('say "hi"\n\ttab \\ é /'));
      assert.deepEqual(one(`"it's"`), lit("it's"), 'the other quote needs no escape');
      assert.deepEqual(one("'say \"hi\"'"), lit('say "hi"'));
      assert.deepEqual(one('""'), lit(''));
    });

    it('keeps unknown escapes as written, so regular expressions reach tools intact', () => {
      assert.deepEqual(one('"listen\\(\\d+\\)"'), lit('listen\\(\\d+\\)'));
      assert.deepEqual(one('"\\bword\\b"'), lit('\\bword\\b'));
    });

    it('reads numbers: negative, decimal, exponent', () => {
      assert.deepEqual(parseArgs('0, 42, -3, 2.5, -0.25, 1e3, 6.02E+2').positional, [0, 42, -3, 2.5, -0.25, 1000, 602].map(lit));
    });

    it('reads true/false/null and the Python spellings', () => {
      assert.deepEqual(parseArgs('true, false, null, True, False, None').positional, [true, false, null, true, false, null].map(lit));
    });

    it('reads lists and objects, nested, with trailing commas and bare or quoted keys', () => {
      assert.deepEqual(one('[]'), { kind: 'list', items: [] });
      assert.deepEqual(one('{}'), { kind: 'object', entries: [] });
      assert.deepEqual(one('[1, "a", [true,], ]'), {
        kind: 'list',
        items: [lit(1), lit('a'), { kind: 'list', items: [lit(true)] }],
      });
      assert.deepEqual(one(`{"path": "a.ts", line: 3, 'nested': {deep: [null]},}`), {
        kind: 'object',
        entries: [
          ['path', lit('a.ts')],
          ['line', lit(3)],
          ['nested', { kind: 'object', entries: [['deep', { kind: 'list', items: [lit(null)] }]] }],
        ],
      });
    });
  });

  describe('arguments', () => {
    it('reads nothing as no arguments', () => {
      assert.deepEqual(parseArgs(''), { positional: [], named: [] });
      assert.deepEqual(parseArgs('  \n '), { positional: [], named: [] });
    });

    it('reads positional then keyword arguments, with a trailing comma and spaces around =', () => {
      assert.deepEqual(parseArgs('"a.ts", 10, end_line = 40, verbose=True,'), {
        positional: [lit('a.ts'), lit(10)],
        named: [
          ['end_line', lit(40)],
          ['verbose', lit(true)],
        ],
      });
    });

    it('reads arguments across lines', () => {
      assert.deepEqual(parseArgs('\n  "src/server.ts",\n  start_line=10,\n'), {
        positional: [lit('src/server.ts')],
        named: [['start_line', lit(10)]],
      });
    });
  });

  describe('references', () => {
    it('reads a bare $N or ${N} as a reference, also inside lists and objects', () => {
      assert.deepEqual(one('$1'), ref(1));
      assert.deepEqual(one('${12}'), ref(12));
      assert.deepEqual(one('[$1, "x", $2]'), { kind: 'list', items: [ref(1), lit('x'), ref(2)] });
      assert.deepEqual(one('{file: $3, "hits": [${4}]}'), {
        kind: 'object',
        entries: [
          ['file', ref(3)],
          ['hits', { kind: 'list', items: [ref(4)] }],
        ],
      });
      assert.deepEqual(parseArgs('path=$2').named, [['path', ref(2)]]);
    });

    it('splits a string around the references inside it', () => {
      assert.deepEqual(one('"callers of $1 in ${2}!"'), { kind: 'template', parts: ['callers of ', { ref: 1 }, ' in ', { ref: 2 }, '!'] });
      assert.deepEqual(one('"$1$2"'), { kind: 'template', parts: [{ ref: 1 }, { ref: 2 }] });
      assert.deepEqual(one("'$3'"), { kind: 'template', parts: [{ ref: 3 }] }, 'a quoted reference is text');
      assert.deepEqual(one('"${10}0"'), { kind: 'template', parts: [{ ref: 10 }, '0'] });
    });

    it('reads $$ inside a string as a dollar sign', () => {
      assert.deepEqual(one('"costs $$5"'), lit('costs $5'));
      assert.deepEqual(one('"$$1 is not a reference"'), lit('$1 is not a reference'));
      assert.deepEqual(one('"$$$1"'), { kind: 'template', parts: ['$', { ref: 1 }] });
    });

    it('reads a $ without a task number inside a string as text', () => {
      assert.deepEqual(one('"price in $"'), lit('price in $'));
      assert.deepEqual(one('"$x and ${y} and ${1"'), lit('$x and ${y} and ${1'));
      assert.deepEqual(one('"^export \\$1"'), lit('^export \\$1'), 'an escaped dollar is never a reference');
    });

    it('reads an access path of indexes and fields right after a bare reference', () => {
      assert.deepEqual(one('$1[0]'), { kind: 'ref', id: 1, path: [0] });
      assert.deepEqual(one('$1[-1]'), { kind: 'ref', id: 1, path: [-1] });
      assert.deepEqual(one('$1.path'), { kind: 'ref', id: 1, path: ['path'] });
      assert.deepEqual(one('$1[0].path'), { kind: 'ref', id: 1, path: [0, 'path'] });
      assert.deepEqual(one('${1}[0].line'), { kind: 'ref', id: 1, path: [0, 'line'] });
      assert.deepEqual(one('${1[0].line}'), { kind: 'ref', id: 1, path: [0, 'line'] }, 'the string form works bare too');
      assert.deepEqual(one('$2.files[3]'), { kind: 'ref', id: 2, path: ['files', 3] });
      assert.deepEqual(one('$12[10]._id2[-0]'), { kind: 'ref', id: 12, path: [10, '_id2', 0] });
      assert.deepEqual(parseArgs('$1[0].path, start_line=$1[0].line').named, [['start_line', { kind: 'ref', id: 1, path: [0, 'line'] }]]);
      assert.deepEqual(one('[$1[0], {f: $2.hash}]'), {
        kind: 'list',
        items: [
          { kind: 'ref', id: 1, path: [0] },
          { kind: 'object', entries: [['f', { kind: 'ref', id: 2, path: ['hash'] }]] },
        ],
      });
      assert.deepEqual(argRefs(parseArgs('$3[0].path, "${1[-1]}", [$2.x]')), [1, 2, 3]);
    });

    it('takes an access path inside strings only in the braced form', () => {
      assert.deepEqual(one('"${1[0].path}"'), { kind: 'template', parts: [{ ref: 1, path: [0, 'path'] }] });
      assert.deepEqual(one('"at ${1[0].path}:${1[0].line}!"'), {
        kind: 'template',
        parts: ['at ', { ref: 1, path: [0, 'path'] }, ':', { ref: 1, path: [0, 'line'] }, '!'],
      });
      assert.deepEqual(one('"$1.ts"'), { kind: 'template', parts: [{ ref: 1 }, '.ts'] }, 'text of 1, then .ts');
      assert.deepEqual(one('"$1[0]"'), { kind: 'template', parts: [{ ref: 1 }, '[0]'] });
      assert.deepEqual(one('"${1}[0]"'), { kind: 'template', parts: [{ ref: 1 }, '[0]'] });
      assert.deepEqual(one('"${1[x]} ${1.}"'), lit('${1[x]} ${1.}'), 'a malformed path leaves the text as it is');
    });

    it('lists the referenced ids of all arguments, sorted and unique', () => {
      const args = parseArgs('$3, "a $1 b $3", [$2, {k: [${5}]}], x=$1, y="$4"');
      assert.deepEqual(argRefs(args), [1, 2, 3, 4, 5]);
      assert.deepEqual(argRefs(parseArgs('"no refs", 1, [2]')), []);
    });
  });

  describe('errors', () => {
    it('rejects a positional argument after a keyword argument', () => {
      const e = syntaxError('"a", max=3, "b"');
      assert.equal(e.message, 'positional argument after keyword argument');
      assert.equal(e.offset, 12);
      assert.equal(e.showColumn, false);
    });

    it('refuses lists nested too deep with a syntax error, not a stack overflow', () => {
      const deep = `${'['.repeat(3000)}1${']'.repeat(3000)}`;
      const e = syntaxError(deep);
      assert.equal(e.message, 'lists and objects nested more than 64 deep');
      assert.equal(e.offset, 64);
      assert.equal(syntaxError(`${'{"a": '.repeat(100)}1${'}'.repeat(100)}`).message, 'lists and objects nested more than 64 deep');
      const ok = one(`${'['.repeat(64)}1${']'.repeat(64)}`);
      assert.equal(ok.kind, 'list');
    });

    it('reads many keyword arguments', () => {
      const text = Array.from({ length: 20_000 }, (_, i) => `k${i}=${i}`).join(', ');
      assert.equal(parseArgs(text).named.length, 20_000);
      assert.equal(syntaxError(`${text}, k7=1`).message, 'keyword argument k7 is given twice');
    });

    it('rejects a keyword given twice', () => {
      assert.equal(syntaxError('a=1, a=2').message, 'keyword argument a is given twice');
    });

    it('points at an unexpected character', () => {
      const e = syntaxError('"ab", @');
      assert.equal(e.message, "unexpected character '@'");
      assert.equal(e.offset, 6);
      assert.equal(e.showColumn, true);
      assert.equal(syntaxError('"a" "b"').message, `unexpected character '"'`, 'a missing comma');
      assert.equal(syntaxError('1,,2').message, "unexpected character ','");
      assert.equal(syntaxError('f(1)').message, 'unquoted text f (strings need quotes)');
    });

    it('asks for quotes around bare words', () => {
      const e = syntaxError('1, weather');
      assert.equal(e.message, 'unquoted text weather (strings need quotes)');
      assert.equal(e.offset, 3);
    });

    it('rejects a $ outside strings that is not a reference', () => {
      for (const text of ['$x', '$', '$$', '${x}', '[$]']) {
        assert.equal(syntaxError(text).message, '"$" must be followed by a task number (write $$ for a dollar sign)', text);
      }
    });

    it('rejects a malformed access path after a bare reference', () => {
      for (const text of ['$1[x]', '$1[ 0]', '$1[0', '$1[]', '$1[1.5]']) {
        const e = syntaxError(text);
        assert.equal(e.message, 'expected an index like [0] or [-1] after a reference', text);
        assert.equal(e.offset, 2, text);
      }
      for (const text of ['$1.', '$1.0', '$1[0]..path', '$1. path']) {
        assert.equal(syntaxError(text).message, 'expected a field name like .path after a reference', text);
      }
      assert.equal(syntaxError('$1 [0]').message, "unexpected character '['", 'no space before a step');
    });

    it('rejects unterminated strings, lists and objects', () => {
      assert.equal(syntaxError('"abc').message, 'unterminated string');
      assert.equal(syntaxError('"abc\\').message, 'unterminated string');
      assert.equal(syntaxError('"ab\ncd"').message, 'unterminated string', 'strings do not span lines');
      const list = syntaxError('1, [2, 3');
      assert.equal(list.message, 'unclosed [');
      assert.equal(list.offset, 3);
      assert.equal(syntaxError('{a: 1').message, 'unclosed {');
      assert.equal(syntaxError('{a').message, 'unclosed {');
    });

    it('rejects a keyword without a value, a bad \\u escape and a key with a reference', () => {
      assert.equal(syntaxError('path=').message, 'expected a value after path=');
      assert.equal(syntaxError('{a: }').message, "unexpected character '}'");
      assert.equal(syntaxError('"\\u12G4"').message, 'invalid \\u escape (expected four hex digits)');
      assert.equal(syntaxError('{"$1": 2}').message, 'an object key cannot refer to a task result');
      assert.equal(syntaxError('{a 1}').message, "unexpected character '1'");
    });
  });
});
