import assert from 'node:assert/strict';
import { CompilerError } from '../../../../src/base/errors';
import type { JoinerDecision, JoinerDelta } from '../../../../src/core/join/joinerParser';
import { JoinerParser } from '../../../../src/core/join/joinerParser';
import { chunkings, describeChunking } from '../../../support/chunkings';

interface Run {
  decision: JoinerDecision;
  /** Deltas from push, then those of flush. */
  deltas: JoinerDelta[];
  pushedAnswer: string;
}

function run(chunks: string[]): Run {
  const parser = new JoinerParser();
  const pushed = chunks.flatMap((c) => parser.push(c));
  const decision = parser.flush();
  return { decision, deltas: [...pushed, ...decision.deltas], pushedAnswer: joined(pushed, 'answer') };
}

function joined(deltas: JoinerDelta[], kind: JoinerDelta['kind']): string {
  return deltas
    .filter((d) => d.kind === kind)
    .map((d) => d.text)
    .join('');
}

type Outcome = JoinerDecision extends infer D ? (D extends unknown ? Omit<D, 'deltas'> : never) : never;

/** The decision without its deltas, which depend on how the text was cut. */
function outcome(decision: JoinerDecision): Outcome {
  const { deltas: _deltas, ...rest } = decision;
  return rest;
}

function decide(text: string): Outcome {
  return outcome(run([text]).decision);
}

const WEATHER = `Thought: I have the current weather for all three cities, so I can compare them.
Action: Finish(San Francisco is the mildest at 68°F (20°C); Los Angeles (LA) is warmest at 75°F, and New York is coldest.

| City | Temp |
|---|---|
| SF | 68°F |)
<END_OF_PLAN>`;

const CODE = `Thought: The results show where the flag is handled.
Action: Finish(The flag is handled in \`src/cli.ts:42\`:

\`\`\`ts
if (args.verbose) {
  log.setLevel('debug'); // (see below)
}
\`\`\`

It calls \`setLevel()\` (defined in src/log.ts:10).)
`;

const REPLAN = `Thought: The grep found nothing for parseConfig,
so the definition is elsewhere.

Action: Replan(the definition of parseConfig() is missing; search "parseConfig(" in lib/)`;

const BOLD_QUOTED = `**Thought:** The answer is in task 2.

**Action:** finish("It prints \\"ready\\" (once).\\nThen it waits.")`;

const NO_ACTION = `The parser lives in src/core/planParser.ts (next to its tests).

It reads the plan as it streams.`;

const THOUGHT_THEN_ANSWER = `Thought: The results answer it directly.

The handler is \`onSave\` in src/editor.ts:88 (it debounces for 200 ms).`;

const LABEL_ALONE = `Thought: The call graph is complete.
**Action:**

Finish(\`main()\` calls \`run()\` (src/main.ts:3).)`;

const UNLABELLED_THOUGHT = `Looking at the results, grep found two matches (both in tests).
Action: Finish(Two matches, both in tests.)`;

const OUTPUTS: Record<string, string> = {
  WEATHER,
  CODE,
  REPLAN,
  BOLD_QUOTED,
  NO_ACTION,
  THOUGHT_THEN_ANSWER,
  LABEL_ALONE,
  UNLABELLED_THOUGHT,
};

describe('JoinerParser', () => {
  describe('realistic outputs', () => {
    it('reads a finish whose answer has nested parentheses, a table and a stop marker after it', () => {
      assert.deepEqual(decide(WEATHER), {
        decision: 'finish',
        thought: 'I have the current weather for all three cities, so I can compare them.',
        answer:
          'San Francisco is the mildest at 68°F (20°C); Los Angeles (LA) is warmest at 75°F, and New York is coldest.\n\n' +
          '| City | Temp |\n|---|---|\n| SF | 68°F |',
      });
    });

    it('reads an answer with a code block containing parentheses', () => {
      const d = decide(CODE);
      assert.equal(d.decision, 'finish');
      assert.equal(
        d.decision === 'finish' && d.answer,
        "The flag is handled in `src/cli.ts:42`:\n\n```ts\nif (args.verbose) {\n  log.setLevel('debug'); // (see below)\n}\n```\n\nIt calls `setLevel()` (defined in src/log.ts:10).",
      );
    });

    it('reads a replan with a multi-line thought', () => {
      assert.deepEqual(decide(REPLAN), {
        decision: 'replan',
        thought: 'The grep found nothing for parseConfig,\nso the definition is elsewhere.',
        reason: 'the definition of parseConfig() is missing; search "parseConfig(" in lib/',
      });
    });

    it('reads bold labels, lower case and a quoted answer with escapes', () => {
      assert.deepEqual(decide(BOLD_QUOTED), {
        decision: 'finish',
        thought: 'The answer is in task 2.',
        answer: 'It prints "ready" (once).\nThen it waits.',
      });
    });

    it('takes text without Finish or Replan as the answer', () => {
      assert.deepEqual(decide(NO_ACTION), { decision: 'finish', thought: '', answer: NO_ACTION });
    });

    it('takes what follows a separate Thought: paragraph as the answer when there is no action', () => {
      assert.deepEqual(decide(THOUGHT_THEN_ANSWER), {
        decision: 'finish',
        thought: 'The results answer it directly.',
        answer: 'The handler is `onSave` in src/editor.ts:88 (it debounces for 200 ms).',
      });
    });

    it('reads an Action: label alone on its line, the name after a blank line', () => {
      assert.deepEqual(decide(LABEL_ALONE), {
        decision: 'finish',
        thought: 'The call graph is complete.',
        answer: '`main()` calls `run()` (src/main.ts:3).',
      });
    });

    it('takes unlabelled text before the action as the thought', () => {
      assert.deepEqual(decide(UNLABELLED_THOUGHT), {
        decision: 'finish',
        thought: 'Looking at the results, grep found two matches (both in tests).',
        answer: 'Two matches, both in tests.',
      });
    });

    for (const [name, text] of Object.entries(OUTPUTS)) {
      it(`gives the same decision and delta text however ${name} is cut into chunks`, () => {
        const whole = run([text]);
        for (const chunks of chunkings(text)) {
          const r = run(chunks);
          const label = describeChunking(chunks);
          assert.deepEqual(outcome(r.decision), outcome(whole.decision), label);
          const d = r.decision;
          assert.equal(joined(r.deltas, 'answer'), d.decision === 'finish' ? d.answer : '', `answer deltas, ${label}`);
          assert.equal(joined(r.deltas, 'thought'), d.thought, `thought deltas, ${label}`);
        }
      });
    }

    for (const [name, text] of Object.entries({ WEATHER, CODE })) {
      it(`streams the answer of ${name}, holding back only what could end the action`, () => {
        const start = text.indexOf('Finish(') + 'Finish('.length;
        const parser = new JoinerParser();
        let streamed = '';
        for (let i = 0; i < text.length; i++) {
          streamed += joined(parser.push(text[i]!), 'answer');
          if (i < start) continue;
          const body = text.slice(start, i + 1);
          assert.ok(body.startsWith(streamed), `the streamed answer is a prefix of what arrived (index ${i})`);
          const held = body.slice(streamed.length);
          assert.match(held, /^\s*(\)\s*)?(<[A-Z_]*>?\s*)*$/, `only a closing parenthesis, spaces and a marker held at ${i}`);
        }
        const decision = parser.flush();
        assert.equal(decision.decision === 'finish' && decision.answer, streamed + joined(decision.deltas, 'answer'));
      });
    }
  });

  describe('streaming', () => {
    it('streams the answer as it arrives', () => {
      const parser = new JoinerParser();
      assert.deepEqual(parser.push('Thought: done\nAction: Finish(Hello wor'), [
        { kind: 'thought', text: 'done' },
        { kind: 'answer', text: 'Hello wor' },
      ]);
      assert.deepEqual(parser.push('ld'), [{ kind: 'answer', text: 'ld' }]);
    });

    it('holds the last ) until more text shows it was part of the answer', () => {
      const parser = new JoinerParser();
      assert.deepEqual(parser.push('Action: Finish(see f(x)'), [{ kind: 'answer', text: 'see f(x' }]);
      assert.deepEqual(parser.push(' \n'), []);
      assert.deepEqual(parser.push('and g(y))'), [{ kind: 'answer', text: ') \nand g(y)' }]);
      assert.deepEqual(parser.push('<END_OF'), []);
      assert.deepEqual(parser.push('_PLAN>'), []);
      const decision = parser.flush();
      assert.deepEqual(decision.deltas, []);
      assert.equal(decision.decision === 'finish' && decision.answer, 'see f(x) \nand g(y)');
    });

    it('holds trailing spaces, and releases them with the next word', () => {
      const parser = new JoinerParser();
      parser.push('Finish(Hello');
      assert.deepEqual(parser.push('  '), []);
      assert.deepEqual(parser.push('world'), [{ kind: 'answer', text: '  world' }]);
    });

    it('skips spaces after Finish( and holds the quotes of a quoted answer', () => {
      const parser = new JoinerParser();
      assert.deepEqual(parser.push('Action: Finish(\n  "'), []);
      assert.deepEqual(parser.push('It is 42.'), [{ kind: 'answer', text: 'It is 42.' }]);
      assert.deepEqual(parser.push('"'), []);
      assert.deepEqual(parser.push(')'), []);
      const decision = parser.flush();
      assert.equal(decision.decision === 'finish' && decision.answer, 'It is 42.');
    });

    it('never splits an escape of a quoted answer', () => {
      const parser = new JoinerParser();
      assert.deepEqual(parser.push('Finish("a\\'), [{ kind: 'answer', text: 'a' }]);
      assert.deepEqual(parser.push('"b'), [{ kind: 'answer', text: '"b' }]);
    });

    it('streams a labelled thought line by line', () => {
      const parser = new JoinerParser();
      assert.deepEqual(parser.push('Thought: first line'), []);
      assert.deepEqual(parser.push('\nsecond'), [{ kind: 'thought', text: 'first line' }]);
      assert.deepEqual(parser.push(' line\nAction: Replan(more)'), [{ kind: 'thought', text: '\nsecond line' }]);
    });

    it('holds unlabelled text and later paragraphs, which may turn out to be the answer', () => {
      const parser = new JoinerParser();
      assert.deepEqual(parser.push('Looking at the results\nthe answer is clear.\n'), []);
      assert.deepEqual(parser.push('Action: Finish(42)'), [
        { kind: 'thought', text: 'Looking at the results\nthe answer is clear.' },
        { kind: 'answer', text: '42' },
      ]);
      const labelled = new JoinerParser();
      assert.deepEqual(labelled.push('Thought: one\n\ntwo\n'), [{ kind: 'thought', text: 'one' }]);
      assert.deepEqual(labelled.push('Action: Finish(x)'), [
        { kind: 'thought', text: '\n\ntwo' },
        { kind: 'answer', text: 'x' },
      ]);
    });

    it('does not wait after a word that merely ends in action:', () => {
      const parser = new JoinerParser();
      assert.deepEqual(parser.push('Thought: a chain reaction:\n'), [{ kind: 'thought', text: 'a chain reaction:' }]);
    });

    it('reads a long answer that skipped the format, arriving in small chunks', () => {
      const text = Array.from({ length: 400 }, (_, i) => `Line ${i} (of the answer): see src/file${i}.ts:${i}`).join('\n');
      const parser = new JoinerParser();
      for (let i = 0; i < text.length; i += 3) assert.deepEqual(parser.push(text.slice(i, i + 3)), []);
      const decision = parser.flush();
      assert.equal(decision.decision === 'finish' && decision.answer, text);
      assert.equal(joined(decision.deltas, 'answer'), text);
    });

    it('waits for the name after an Action: label that ends a line', () => {
      const parser = new JoinerParser();
      assert.deepEqual(parser.push('Thought: ok\nAction:\n'), [{ kind: 'thought', text: 'ok' }]);
      assert.deepEqual(parser.push('Finish(yes)'), [{ kind: 'answer', text: 'yes' }]);
    });
  });

  describe('tolerance', () => {
    const answers: Array<[string, string, string]> = [
      ['no Thought:', 'Action: Finish(42)', '42'],
      ['no Action:', 'Thought: x\nFinish(the answer)', 'the answer'],
      ['Finish: with a colon', 'Thought: x\nAction: Finish: the answer (with parentheses)', 'the answer (with parentheses)'],
      ['Finish and a newline', 'Thought: x\nAction: Finish\nthe answer', 'the answer'],
      ['a missing closing parenthesis', 'Action: Finish(The answer', 'The answer'],
      ['lower case', 'thought: x\naction: finish(ok)', 'ok'],
      ['bold markdown', '**Thought:** x\n**Action:** **Finish**(ok)', 'ok'],
      ['one line', 'Thought: x. Action: Finish(ok)', 'ok'],
      ['text after the parenthesis', 'Action: Finish(a) and b)', 'a) and b'],
      ['other stop markers', 'Action: Finish(ok)<|im_end|>', 'ok'],
      ['single quotes', "Action: Finish('it\\'s ok')", "it's ok"],
      ['quotes only around part', 'Action: Finish(The word "ok" is fine)', 'The word "ok" is fine'],
      ['a label without a decision', 'Thought: The answer is 42.', 'The answer is 42.'],
    ];
    for (const [what, text, answer] of answers) {
      it(`accepts ${what}`, () => {
        const r = run([text]);
        assert.equal(r.decision.decision, 'finish');
        assert.equal(r.decision.decision === 'finish' && r.decision.answer, answer);
        assert.equal(joined(r.deltas, 'answer'), answer);
      });
    }

    it('reads Replan in its variants', () => {
      assert.deepEqual(decide('replan: need the tests'), { decision: 'replan', thought: '', reason: 'need the tests' });
      assert.deepEqual(decide('Thought: t\nAction: Replan("need (more)")\n'), { decision: 'replan', thought: 't', reason: 'need (more)' });
    });

    it('does not mistake words in the thought for an action', () => {
      const d = decide('Thought: I could finish now, or replan: no.\nThe reaction: finished.\nAction: Finish(done)');
      assert.deepEqual(d, { decision: 'finish', thought: 'I could finish now, or replan: no.\nThe reaction: finished.', answer: 'done' });
    });

    it('streams nothing for a replan', () => {
      const r = run(['Thought: t\nAction: Replan(need more)']);
      assert.deepEqual(joined(r.deltas, 'answer'), '');
    });
  });

  describe('errors', () => {
    for (const text of ['', '  \n', 'Action: Finish()', 'Thought: x\nAction: Finish(  "" )']) {
      it(`reports joiner-format when there is no answer: ${JSON.stringify(text)}`, () => {
        const parser = new JoinerParser();
        parser.push(text);
        assert.throws(
          () => parser.flush(),
          (e: unknown) => e instanceof CompilerError && e.reason === 'joiner-format',
        );
      });
    }
  });
});
