import assert from 'node:assert/strict';
import { END_OF_PLAN } from '../../../src/core/plan/stopMarkers';
import { FUNCTION_CALLING_SYSTEM_PROMPT, joinerMessages, plannerMessages } from '../../../src/core/prompts';
import type { JsonObject } from '../../../src/shared/json';
import type { ChatMessage } from '../../../src/shared/modelContract';
import type { BenchQuestion } from '../../bench/suite/benchQuestion';
import { agentCalls, callLevels, chainDepth, checkQuestion, doomedCalls } from '../../bench/suite/benchQuestion';
import { createBenchScript } from '../../bench/suite/benchScript';
import { functionCallingReply, joinerReply, plannerReply, reactReply } from '../../bench/suite/scriptedReplies';
import type { ScriptedText, TestChatRequest } from '../../support/modelServer/testServerScript';

// A first plan that guesses a name that does not exist (and reads its file), beside a search that finds something;
// the second round searches instead and reads what it found.
const MISSING: BenchQuestion = {
  id: 'missing',
  kind: 'replan',
  question: 'Where is the required keyword checked?',
  calls: [
    { tool: 'definition', args: '"validateRequired"', why: 'The check should be a function named validateRequired.', miss: 'no symbol of that name' },
    { tool: 'read_file', args: '$1[0].path', why: 'Reading its file.' },
    { tool: 'grep', args: '"missingProperty"', why: 'And where a missing property is reported.' },
  ],
  replan: {
    reason: 'validateRequired does not exist; search for the keyword definition instead',
    calls: [
      { tool: 'grep', args: '"keyword: \\"required\\""', why: 'validateRequired does not exist; I will search for the keyword definition.' },
      { tool: 'read_file', args: '$4[0].path', why: 'Reading the keyword file.' },
    ],
  },
  conclusion: 'The keyword file answers it.',
  answer: 'In lib/vocabularies/validation/required.ts:1.',
};

const RESOLVED: JsonObject[] = [
  { name_or_location: 'validateRequired' },
  { path: 'never.ts' },
  { pattern: 'missingProperty' },
  { pattern: 'keyword: "required"' },
  { path: 'lib/vocabularies/validation/required.ts' },
];

const names = (reply: ScriptedText) => reply.toolCalls?.map((c) => JSON.parse(c.arguments) as JsonObject) ?? [];

describe('benchmark scripts', () => {
  describe('a first plan that misses', () => {
    it('leaves what depends on a miss to planned runs; an agent makes the second round\'s calls once it has seen the miss', () => {
      assert.deepEqual([...doomedCalls(MISSING)], [1]);
      assert.deepEqual(agentCalls(MISSING), [0, 2, 3, 4]);
      // The second round's search comes after the miss; its read after the search.
      assert.deepEqual(callLevels(MISSING), [1, 2, 1, 2, 3]);
      assert.equal(chainDepth(MISSING), 3);
      checkQuestion(MISSING, { maxTurns: 10 });
    });

    it('plans both rounds, numbering on, and the joiner asks for the second before it answers', () => {
      assert.equal(plannerReply(MISSING, 1), `1. definition("validateRequired")\n2. read_file($1[0].path)\n3. grep("missingProperty")\njoin()\n${END_OF_PLAN}`);
      assert.equal(plannerReply(MISSING, 2), `4. grep("keyword: \\"required\\"")\n5. read_file($4[0].path)\njoin()\n${END_OF_PLAN}`);
      assert.equal(joinerReply(MISSING, 1), `Action: Replan(${MISSING.replan!.reason})`);
      assert.equal(joinerReply(MISSING, 2), `Action: Finish(${MISSING.answer})`);
    });

    it('function calling meets the miss in its first turn and makes the second round\'s calls from its result', () => {
      const turns = [0, 1, 2, 3].map((t) => functionCallingReply(MISSING, t, RESOLVED));
      assert.deepEqual(turns.map(names), [[RESOLVED[0], RESOLVED[2]], [RESOLVED[3]], [RESOLVED[4]], []]);
      assert.equal(turns[3]!.text, MISSING.answer);
    });

    it('the serial agent and ReAct make the same calls one a turn, in order', () => {
      const serial = [0, 1, 2, 3, 4].map((t) => functionCallingReply(MISSING, t, RESOLVED, { serial: true }));
      assert.deepEqual(serial.map(names), [[RESOLVED[0]], [RESOLVED[2]], [RESOLVED[3]], [RESOLVED[4]], []]);
      assert.equal(serial[4]!.text, MISSING.answer);
      const react = [0, 1, 2, 3, 4].map((t) => reactReply(MISSING, t, RESOLVED, []));
      assert.match(react[2]!, /^Thought: validateRequired does not exist.*\nAction: grep\("keyword: \\"required\\""\)$/);
      assert.match(react[3]!, /Action: read_file\("lib\/vocabularies\/validation\/required.ts"\)$/);
      assert.match(react[4]!, /^Thought: The keyword file answers it.\nAction: Finish\(/);
    });

    it('is refused when the misses and the second round do not come together', () => {
      assert.throws(() => checkQuestion({ ...MISSING, replan: undefined }, { maxTurns: 10 }), /needs a second round/);
      assert.throws(() => checkQuestion({ ...MISSING, calls: MISSING.calls.map((c) => ({ tool: c.tool, args: c.args, why: c.why })) }, { maxTurns: 10 }), /needs a second round/);
      assert.throws(() => checkQuestion(MISSING, { maxTurns: 3 }), /more than the 3 turns/);
    });
  });

  describe('a question with cold tools', () => {
    it('must call a symbol tool that builds a language service: an outline reads one file\'s syntax', () => {
      checkQuestion({ ...MISSING, coldTools: true }, { maxTurns: 10 });
      const calls = (tools: string[]) => tools.map((tool) => ({ tool, args: '"x"', why: '' }));
      const withoutService = { ...MISSING, coldTools: true, calls: calls(['grep', 'outline']), replan: undefined };
      assert.throws(() => checkQuestion(withoutService, { maxTurns: 10 }), /cold tools, yet no call of a symbol tool/);
      checkQuestion({ ...withoutService, coldTools: false }, { maxTurns: 10 });
    });
  });

  describe('the serial baseline', () => {
    const FAN: BenchQuestion = {
      id: 'fan',
      kind: 'fan-out',
      question: 'Where are a, b and c?',
      calls: [
        { tool: 'definition', args: '"a"', why: '' },
        { tool: 'definition', args: '"b"', why: '' },
        { tool: 'read_file', args: '$1[0].path', why: '' },
      ],
      conclusion: 'c',
      answer: 'Here.',
    };
    const resolved: JsonObject[] = [{ name_or_location: 'a' }, { name_or_location: 'b' }, { path: 'a.ts' }];

    it('makes one call a turn where the ideal agent makes every call it can', () => {
      assert.deepEqual([0, 1, 2].map((t) => functionCallingReply(FAN, t, resolved).toolCalls?.length ?? 0), [2, 1, 0]);
      const serial = [0, 1, 2, 3].map((t) => functionCallingReply(FAN, t, resolved, { serial: true }));
      assert.deepEqual(serial.map(names), [[resolved[0]], [resolved[1]], [resolved[2]], []]);
      assert.equal(serial[3]!.text, 'Here.');
    });

    it('is what the server of the serial mode answers to the same function-calling request', () => {
      const script = createBenchScript([FAN], []);
      script.setResolved('fan', resolved);
      const request = chat([{ role: 'system', content: FUNCTION_CALLING_SYSTEM_PROMPT }, { role: 'user', content: FAN.question }], { tools: [{ type: 'function' }] });
      const ideal = script.scriptFor('function-calling')(request, 0) as ScriptedText;
      const serial = script.scriptFor('function-calling-serial')(request, 0) as ScriptedText;
      assert.equal(ideal.toolCalls!.length, 2);
      assert.equal(serial.toolCalls!.length, 1);
    });
  });

  describe('the script of the planned modes', () => {
    it('answers the planner and the joiner of each round, telling the rounds apart by the replanner\'s prompt', () => {
      const script = createBenchScript([MISSING], []).scriptFor('compiler');
      const planner1 = plannerMessages({ question: MISSING.question, tools: [], firstId: 1 });
      const joiner1 = joinerMessages({ planned: { messages: planner1, plan: plannerReply(MISSING, 1) }, transcript: '1. definition -> error', mayReplan: true });
      const planner2 = plannerMessages({ question: MISSING.question, tools: [], firstId: 4, previous: { transcript: '1. definition -> error', reason: 'x' } });
      const joiner2 = joinerMessages({ planned: { messages: planner2, plan: plannerReply(MISSING, 2) }, transcript: '4. grep -> ok', mayReplan: true });
      assert.equal(script(chat(planner1, { stop: [END_OF_PLAN] }), 0), plannerReply(MISSING, 1));
      assert.equal(script(chat(joiner1), 1), joinerReply(MISSING, 1));
      assert.equal(script(chat(planner2, { stop: [END_OF_PLAN] }), 2), plannerReply(MISSING, 2));
      assert.equal(script(chat(joiner2), 3), joinerReply(MISSING, 2));
      // A question without a second round refuses a replanner.
      const plain = createBenchScript([{ ...MISSING, replan: undefined, calls: [] }], []).scriptFor('compiler');
      assert.throws(() => plain(chat(planner2, { stop: [END_OF_PLAN] }), 0), /does not plan/);
    });
  });
});

function chat(messages: ChatMessage[], options: { stop?: string[]; tools?: unknown[] } = {}): TestChatRequest {
  return {
    model: 'test-model',
    messages: messages.map((m) => ({ role: m.role, content: m.content })),
    stop: options.stop ?? [],
    stream: true,
    includeUsage: true,
    tools: [],
    parallelToolCalls: true,
    body: { messages, ...(options.tools ? { tools: options.tools } : {}) },
  };
}
