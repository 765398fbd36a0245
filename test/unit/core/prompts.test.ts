import assert from 'node:assert/strict';
import { joinerMessages, plannerMessages } from '../../../src/core/prompts';
import { runQuestion } from '../../../src/core/runQuestion';
import { countTextTokens } from '../../../src/providers/tokenCount';
import { ToolRegistry } from '../../../src/core/toolRegistry';
import { fakeTool } from '../../support/fakeTools';
import { createScriptedModel } from '../../support/scriptedModel';

const TOOLS = new ToolRegistry(['search', 'lookup'].map((name) => fakeTool(name)));

describe('prompts a prefix cache can reuse', () => {
  it('puts the planner\'s fixed part first, the same bytes for every question', () => {
    const a = plannerMessages({ question: 'Where is main?', tools: TOOLS.specs(), firstId: 1 });
    const b = plannerMessages({ question: 'Who calls parse?', tools: TOOLS.specs(), firstId: 1 });
    assert.equal(a[0]!.role, 'system');
    assert.equal(a[0]!.content, b[0]!.content);
    assert.ok(!a[0]!.content.includes('Where is main?'));
    assert.match(a[1]!.content, /Question: Where is main\?/);
  });

  it('the joiner continues the planner\'s conversation: its prompt and plan unchanged, then the results once', () => {
    const planner = plannerMessages({ question: 'Where is main?', tools: TOOLS.specs(), firstId: 1 });
    const plan = '1. search("main")\njoin()\n';
    const transcript = '1. search -> ok\nsearch:main\n';
    const joiner = joinerMessages({ planned: { messages: planner, plan }, transcript, mayReplan: true });
    assert.deepEqual(joiner.slice(0, planner.length), planner);
    assert.deepEqual(joiner[planner.length], { role: 'assistant', content: plan.trim() });
    const last = joiner.at(-1)!;
    assert.equal(last.role, 'user');
    assert.equal(last.content.split('search:main').length - 1, 1, 'the result is sent once');
    // The joiner's instructions are in the planner's fixed part, which a prefix cache already holds: the request
    // adds the results and one line.
    for (const rule of [/Action: Finish\(<the answer>\)/, /Action: Replan\(<what is missing>\)/, /path:line/]) assert.match(planner[0]!.content, rule);
    assert.ok(last.content.startsWith(`Results:\n${transcript}\n`));
    const overhead = countTextTokens(last.content) - countTextTokens(transcript);
    assert.ok(overhead <= 15, `${overhead} tokens besides the results`);
    assert.doesNotMatch(last.content, /last round/);
    const final = joinerMessages({ planned: { messages: planner, plan: '' }, transcript, mayReplan: false });
    assert.match(final.at(-1)!.content, /last round/);
    assert.match(final.at(-1)!.content, /Action: Finish/);
    assert.doesNotMatch(final.at(-1)!.content, /Replan/);
    assert.equal(final[planner.length]!.content, '(no plan)', 'never an empty assistant turn');
  });

  it('a compiler run sends the joiner the planner\'s request followed by what the planner wrote', async () => {
    const plan = '1. search("weather")\n2. lookup($1)\njoin()\n';
    const model = createScriptedModel([`${plan}<END_OF_PLAN>`, 'Action: Finish(Sunny.)']);
    const summary = await runQuestion({ question: 'What is the weather?', model, tools: TOOLS, roots: ['/tmp'] });
    assert.equal(summary.answer, 'Sunny.');
    const [planner, joiner] = model.requests.map((r) => r.messages);
    assert.deepEqual(joiner!.slice(0, planner!.length), planner);
    assert.equal(joiner![planner!.length]!.content, plan.trim());
    assert.match(joiner!.at(-1)!.content, /lookup:search:weather/);
  });
});
