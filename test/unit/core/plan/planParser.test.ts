import assert from 'node:assert/strict';
import { PlanParser } from '../../../../src/core/plan/planParser';
import type { JsonValue } from '../../../../src/shared/json';
import type { ArgExpr, PlanItem, PlannedTask } from '../../../../src/core/plan/planTree';
import { chunkings, describeChunking } from '../../../support/chunkings';

const lit = (value: JsonValue): ArgExpr => ({ kind: 'literal', value });
const ref = (id: number): ArgExpr => ({ kind: 'ref', id });

function parse(chunks: string[]): PlanItem[] {
  const parser = new PlanParser();
  return [...chunks.flatMap((c) => parser.push(c)), ...parser.flush()];
}

function tasks(items: PlanItem[]): PlannedTask[] {
  return items.flatMap((i) => (i.kind === 'task' ? [i.task] : []));
}

function errors(text: string): Array<{ line: number; message: string; source: string }> {
  return parse([text]).flatMap((i) => {
    if (i.kind !== 'error') return [];
    assert.equal(i.error.reason, 'plan-syntax');
    return [{ line: i.line, message: i.error.message, source: i.source }];
  });
}

/** What each item is, compactly, for plans whose details other tests cover. */
function shape(items: PlanItem[]): string[] {
  return items.map((i) =>
    i.kind === 'task' ? `${i.task.id}:${i.task.tool}` : i.kind === 'join' ? 'join' : `error@${i.line}`,
  );
}

const WEATHER = [
  'Thought: I need the weather in each city; the three searches are independent.',
  '1. search("weather San Francisco")',
  '2. search("weather Los Angeles")',
  '3. search("weather New York")',
  'Thought: Then compare them.',
  '4. compare($1, $2, $3)',
  'join()',
  '<END_OF_PLAN>',
].join('\n');

const FAN_OUT = [
  '1. grep("parseConfig\\\\(", glob="src/**/*.ts")',
  "2. grep('loadPlugins(', glob='src/**')",
  '3. read_file($1, start_line=1, end_line=80)',
  '4. git_log($1, max_count=3)',
  '5. definition("startServer")',
  '6. search("callers of ${5} in $3, not $$HOME")',
  '7. join()',
].join('\n');

const CHAIN = [
  'Thought: Find where the flag is handled first.',
  '1. grep("--verbose", glob="src/**")',
  'Thought: Then read that file,',
  'Thought: and who calls the handler.',
  '2. read_file($1)',
  '3. references("handleVerbose", path=$2)',
  'join()',
].join('\n');

const FENCED =
  'Here is my plan to find the TODOs:\r\n\r\n```text\r\n1) grep("TODO")\r\n2) read_file($1)  # the first hit (usually)\r\n' +
  '   3) summarize("notes: $2") // keep it short\r\njoin()\r\n```\r\nThat should do it.\r\n';

const MULTI_LINE = [
  '1. read_file(',
  '     "src/server.ts",',
  '     start_line=10,',
  '     end_line=40,',
  '   )',
  '2. grep(',
  '     "listen\\\\(",  ',
  '     ["src", "lib"],',
  '   )',
  '3. summarize({',
  '     "file": $1,',
  '     hits: [$2, "(see $1)"],',
  '   })',
  'join()',
].join('\n');

const PICKED = [
  'Thought: Find the handler, then read the first match and the history of the last one.',
  '1. grep("handleVerbose\\(", glob="src/**")',
  '2. read_file($1[0].path, start_line=${1}[0].line)',
  '3. git_log($1[-1].path, max_count=1)',
  '4. git_show($3[0].hash)',
  '5. search("who calls ${1[0].path}:${1[0].line}, not $1.ts")',
  'join()',
].join('\n');

const MALFORMED = [
  'Thought: several problems follow',
  '1. search("ok")',
  '2. First, look at the README',
  '3. grep("unclosed',
  '4. search("a", @)',
  '5. read_file(',
  '6. search("after the unclosed call")',
  '7. f($x)',
  '8. f(a=1, 2)',
  'join()',
].join('\n');

const PLANS: Record<string, string> = { WEATHER, FAN_OUT, CHAIN, FENCED, MULTI_LINE, MALFORMED, PICKED };

describe('PlanParser', () => {
  describe('realistic plans', () => {
    it('reads the weather plan: parallel searches, a dependent compare, thoughts and join', () => {
      const items = parse([WEATHER]);
      assert.deepEqual(items, [
        {
          kind: 'task',
          task: {
            id: 1,
            tool: 'search',
            args: { positional: [lit('weather San Francisco')], named: [] },
            deps: [],
            thought: 'I need the weather in each city; the three searches are independent.',
            source: '1. search("weather San Francisco")',
            line: 2,
          },
        },
        {
          kind: 'task',
          task: {
            id: 2,
            tool: 'search',
            args: { positional: [lit('weather Los Angeles')], named: [] },
            deps: [],
            source: '2. search("weather Los Angeles")',
            line: 3,
          },
        },
        {
          kind: 'task',
          task: {
            id: 3,
            tool: 'search',
            args: { positional: [lit('weather New York')], named: [] },
            deps: [],
            source: '3. search("weather New York")',
            line: 4,
          },
        },
        {
          kind: 'task',
          task: {
            id: 4,
            tool: 'compare',
            args: { positional: [ref(1), ref(2), ref(3)], named: [] },
            deps: [1, 2, 3],
            thought: 'Then compare them.',
            source: '4. compare($1, $2, $3)',
            line: 6,
          },
        },
        { kind: 'join', line: 7 },
      ]);
    });

    it('reads a codebase fan-out with references in strings, keywords and a numbered join', () => {
      const items = parse([FAN_OUT]);
      assert.deepEqual(shape(items), ['1:grep', '2:grep', '3:read_file', '4:git_log', '5:definition', '6:search', 'join']);
      const [grep1, grep2, read, log, , search] = tasks(items);
      assert.deepEqual(grep1!.args, { positional: [lit('parseConfig\\(')], named: [['glob', lit('src/**/*.ts')]] });
      assert.deepEqual(grep2!.args, { positional: [lit('loadPlugins(')], named: [['glob', lit('src/**')]] });
      assert.deepEqual(read!.args, {
        positional: [ref(1)],
        named: [
          ['start_line', lit(1)],
          ['end_line', lit(80)],
        ],
      });
      assert.deepEqual(read!.deps, [1]);
      assert.deepEqual(log!.deps, [1]);
      assert.deepEqual(search!.args.positional, [
        { kind: 'template', parts: ['callers of ', { ref: 5 }, ' in ', { ref: 3 }, ', not $HOME'] },
      ]);
      assert.deepEqual(search!.deps, [3, 5]);
      assert.deepEqual(items.at(-1), { kind: 'join', line: 7 });
    });

    it('reads a sequential chain and joins consecutive thought lines', () => {
      const items = parse([CHAIN]);
      assert.deepEqual(shape(items), ['1:grep', '2:read_file', '3:references', 'join']);
      const [grep, read, refs] = tasks(items);
      assert.equal(grep!.thought, 'Find where the flag is handled first.');
      assert.equal(read!.thought, 'Then read that file,\nand who calls the handler.');
      assert.equal(refs!.thought, undefined);
      assert.deepEqual(read!.deps, [1]);
      assert.deepEqual(refs!.args.named, [['path', ref(2)]]);
      assert.deepEqual(refs!.deps, [2]);
    });

    it('reads a plan in a code fence with prose around it, CRLF line ends, 1) numbering and comments', () => {
      const items = parse([FENCED]);
      assert.deepEqual(shape(items), ['1:grep', '2:read_file', '3:summarize', 'join']);
      const [grep, read, summarize] = tasks(items);
      assert.equal(grep!.line, 4);
      assert.equal(read!.source, '2) read_file($1)');
      assert.equal(summarize!.source, '3) summarize("notes: $2")');
      assert.deepEqual(summarize!.args.positional, [{ kind: 'template', parts: ['notes: ', { ref: 2 }] }]);
      assert.deepEqual(items.at(-1), { kind: 'join', line: 7 });
    });

    it('reads argument lists that span several lines', () => {
      const items = parse([MULTI_LINE]);
      assert.deepEqual(shape(items), ['1:read_file', '2:grep', '3:summarize', 'join']);
      const [read, grep, summarize] = tasks(items);
      assert.equal(read!.source, '1. read_file(\n     "src/server.ts",\n     start_line=10,\n     end_line=40,\n   )');
      assert.equal(read!.line, 1);
      assert.deepEqual(grep!.args.positional, [lit('listen\\('), { kind: 'list', items: [lit('src'), lit('lib')] }]);
      assert.equal(grep!.line, 6);
      assert.deepEqual(summarize!.args.positional, [
        {
          kind: 'object',
          entries: [
            ['file', ref(1)],
            ['hits', { kind: 'list', items: [ref(2), { kind: 'template', parts: ['(see ', { ref: 1 }, ')'] }] }],
          ],
        },
      ]);
      assert.deepEqual(summarize!.deps, [1, 2]);
      assert.equal(summarize!.line, 10);
    });

    it('reads references that pick an item or a field of a result', () => {
      const items = parse([PICKED]);
      assert.deepEqual(shape(items), ['1:grep', '2:read_file', '3:git_log', '4:git_show', '5:search', 'join']);
      const [, read, log, show, search] = tasks(items);
      assert.deepEqual(read!.args, {
        positional: [{ kind: 'ref', id: 1, path: [0, 'path'] }],
        named: [['start_line', { kind: 'ref', id: 1, path: [0, 'line'] }]],
      });
      assert.deepEqual(read!.deps, [1]);
      assert.deepEqual(log!.args.positional, [{ kind: 'ref', id: 1, path: [-1, 'path'] }]);
      assert.deepEqual(show!.args.positional, [{ kind: 'ref', id: 3, path: [0, 'hash'] }]);
      assert.deepEqual(show!.deps, [3]);
      assert.deepEqual(search!.args.positional, [
        {
          kind: 'template',
          parts: ['who calls ', { ref: 1, path: [0, 'path'] }, ':', { ref: 1, path: [0, 'line'] }, ', not ', { ref: 1 }, '.ts'],
        },
      ]);
      assert.deepEqual(search!.deps, [1]);
    });

    it('reports each malformed line and goes on with the rest', () => {
      const items = parse([MALFORMED]);
      assert.deepEqual(shape(items), ['1:search', 'error@3', 'error@4', 'error@5', 'error@6', '6:search', 'error@8', 'error@9', 'join']);
      assert.equal(tasks(items)[0]!.thought, 'several problems follow');
    });

    for (const [name, plan] of Object.entries(PLANS)) {
      it(`gives the same items however ${name} is cut into chunks`, () => {
        const whole = parse([plan]);
        for (const chunks of chunkings(plan)) assert.deepEqual(parse(chunks), whole, describeChunking(chunks));
      });

      it(`emits each task and join of ${name} in the push that delivers its closing parenthesis`, () => {
        const parser = new PlanParser();
        let expected = 0;
        for (let i = 0; i < plan.length; i++) {
          for (const item of parser.push(plan[i]!)) {
            if (item.kind === 'error') continue;
            expected++;
            assert.equal(plan[i], ')', `${item.kind} emitted at index ${i}`);
            const source = item.kind === 'task' ? item.task.source : 'join()';
            assert.ok(plan.slice(0, i + 1).replace(/\r\n/g, '\n').endsWith(source), `${source} ends at index ${i}`);
          }
        }
        const rest = parser.flush().filter((i) => i.kind !== 'error');
        assert.deepEqual(rest, [], 'nothing but errors is left for flush');
        assert.ok(expected > 0);
      });
    }
  });

  describe('emitting early', () => {
    it('returns a task before its newline and before flush', () => {
      const parser = new PlanParser();
      assert.deepEqual(parser.push('1. search("weather San Fr'), []);
      const items = parser.push('ancisco")');
      assert.deepEqual(shape(items), ['1:search']);
      assert.deepEqual(parser.push('  # a comment (with parens)\n'), []);
      assert.deepEqual(parser.push('join('), []);
      assert.deepEqual(parser.push(')'), [{ kind: 'join', line: 2 }]);
      assert.deepEqual(parser.flush(), []);
    });

    it('does not close a call at a parenthesis inside a string or a nested one', () => {
      const parser = new PlanParser();
      assert.deepEqual(parser.push('1. grep("foo(", glob=")"'), []);
      assert.deepEqual(tasks(parser.push(')'))[0]!.args, { positional: [lit('foo(')], named: [['glob', lit(')')]] });
      const nested = new PlanParser();
      assert.deepEqual(nested.push("2. grep('a)b', (1)"), [], 'the nested parenthesis is not the end');
      const items = nested.push(')');
      assert.deepEqual(items.map((i) => i.kind === 'error' && i.error.message), ["line 1: unexpected character '(' at column 16"]);
    });

    it('keeps a Thought: line until its newline and attaches it to the next task', () => {
      const parser = new PlanParser();
      assert.deepEqual(parser.push('Thought: look for it'), []);
      assert.deepEqual(parser.push(' everywhere\n'), []);
      const items = parser.push('1. search("it")');
      assert.equal(tasks(items)[0]!.thought, 'look for it everywhere');
    });

    it('settles a pending line at flush', () => {
      const parser = new PlanParser();
      assert.deepEqual(parser.push('Thought: orphan\n3.'), []);
      assert.deepEqual(
        parser.flush().map((i) => i.kind === 'error' && i.error.message),
        ['line 2: expected a tool call like name(args) after "3."'],
      );
      assert.deepEqual(parser.push('4. search("late")'), [], 'nothing after flush');
    });
  });

  describe('tolerance', () => {
    it('ignores prose, blank lines, code fences and decimal numbers', () => {
      const items = parse(['Plan:\n\n```\n3.5 GHz is the clock\nsearch("not numbered")\n1. search("a")\n```\n']);
      assert.deepEqual(shape(items), ['1:search']);
    });

    it('accepts leading spaces, markdown bullets and spaces around the parenthesis', () => {
      const items = parse(['   1.search ("a")\n- 2. search("b")\n* 3) search("c")\n  join ( )']);
      assert.deepEqual(shape(items), ['1:search', '2:search', '3:search', 'join']);
    });

    it('ignores whatever follows the closing parenthesis on its line', () => {
      const items = parse(['1. search("a") # why: (it matters)\n2. search("b"); // done\n3. search("c") and then some text']);
      assert.deepEqual(shape(items), ['1:search', '2:search', '3:search']);
    });

    it('stops at <END_OF_PLAN>, also in the middle of a line', () => {
      assert.deepEqual(shape(parse(['1. search("a")\n<END_OF_PLAN>\n2. search("b")'])), ['1:search']);
      assert.deepEqual(shape(parse(['1. search("a")<END_OF_PLAN>\n2. search("b")'])), ['1:search']);
      assert.deepEqual(shape(parse(['1. search("a")\nDone. <END_OF_PLAN> 2. x()\n2. search("b")'])), ['1:search']);
    });

    it('ends the plan at join(), ignoring commentary after it', () => {
      const items = parse(['1. search("a")\njoin()\n\nThis plan:\n1. searches for a\n2. search("b")']);
      assert.deepEqual(shape(items), ['1:search', 'join']);
    });

    it('attaches a thought to join and drops a thought that nothing follows', () => {
      assert.deepEqual(parse(['Thought: that is all\njoin()']), [{ kind: 'join', line: 2, thought: 'that is all' }]);
      assert.deepEqual(parse(['1. a()\nThought: dangling']).length, 1);
    });

    it('reports ids as written, including duplicates and gaps', () => {
      assert.deepEqual(shape(parse(['5. a()\n5. b()\n2. c()'])), ['5:a', '5:b', '2:c']);
    });
  });

  describe('errors', () => {
    it('names a numbered line that is not a call', () => {
      assert.deepEqual(errors('1. search("a")\n\n3. First, look at the README'), [
        { line: 3, message: 'line 3: expected a tool call like name(args) after "3."', source: '3. First, look at the README' },
      ]);
      assert.deepEqual(errors('2) '), [{ line: 1, message: 'line 1: expected a tool call like name(args) after "2)"', source: '2)' }]);
      assert.equal(errors('1. "search"("a")')[0]!.message, 'line 1: expected a tool call like name(args) after "1."');
    });

    it('names an unterminated string and the tool', () => {
      const text = '1. search("a")\n2. search("b")\n3. search("c")\n4. grep("abc, glob="*.ts")\n5. read_file("x")';
      assert.deepEqual(errors(text), [
        { line: 4, message: 'line 4: unterminated string in arguments of grep', source: '4. grep("abc, glob="*.ts")' },
      ]);
      assert.deepEqual(shape(parse([text])).at(-1), '5:read_file', 'the next line is read normally');
      assert.equal(errors('1. grep("abc')[0]!.message, 'line 1: unterminated string in arguments of grep');
    });

    it('names a call the plan ended inside', () => {
      assert.deepEqual(errors('1. a()\n2. b()\n3. c()\n4. d()\n5. read_file(\n  "a.ts",'), [
        { line: 5, message: 'line 5: unbalanced parentheses: the plan ended inside read_file(', source: '5. read_file(\n  "a.ts",' },
      ]);
      assert.equal(
        errors('1. read_file("a.ts"\n<END_OF_PLAN>')[0]!.message,
        'line 1: unbalanced parentheses: the plan ended inside read_file(',
      );
    });

    it('ends an unclosed call at the next task and reads that task', () => {
      const text = '1. search("a"\n   , "more"\n2. search("b")\nThought: x\n3. f(\nThought: y\n4. g()';
      const items = parse([text]);
      assert.deepEqual(shape(items), ['error@1', '2:search', 'error@5', '4:g']);
      assert.deepEqual(errors(text).map((e) => e.message), [
        'line 1: unbalanced parentheses: search( is not closed before line 3',
        'line 5: unbalanced parentheses: f( is not closed before line 6',
      ]);
      assert.equal(tasks(items)[1]!.thought, 'y', 'an error drops the thought written for it');
    });

    it('fails only the line of an argument nested thousands deep', () => {
      const text = `1. search(${'['.repeat(3000)})\n2. search("b")`;
      assert.deepEqual(shape(parse([text])), ['error@1', '2:search']);
      assert.deepEqual(errors(text).map((e) => e.message), ['line 1: lists and objects nested more than 64 deep at column 75']);
    });

    it('names a positional argument after a keyword argument', () => {
      assert.deepEqual(errors('1. a()\n2. search("a", max=3, "b")').map((e) => e.message), [
        'line 2: positional argument after keyword argument',
      ]);
    });

    it('names an unexpected character with its column in the plan line', () => {
      assert.deepEqual(errors('1. a()\n2. search("ab", @)').map((e) => e.message), ["line 2: unexpected character '@' at column 17"]);
      assert.deepEqual(errors('1. f(\n  1,\n  @)').map((e) => e.message), ["line 3: unexpected character '@' at column 3"]);
      assert.deepEqual(errors('  - 1. f(1 2)').map((e) => e.message), ["line 1: unexpected character '2' at column 12"]);
    });

    it('names a $ outside strings that is not a reference', () => {
      assert.deepEqual(errors('1. a()\n2. b()\n3. c()\n4. d()\n5. e()\n6. read_file($x)').map((e) => e.message), [
        'line 6: "$" must be followed by a task number (write $$ for a dollar sign)',
      ]);
    });

    it('names unquoted words', () => {
      assert.deepEqual(errors('1. search(weather)').map((e) => e.message), [
        'line 1: unquoted text weather (strings need quotes) at column 11',
      ]);
    });
  });
});
