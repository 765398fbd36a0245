import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { ASK_SPEC, bindAskArgs } from '../../../src/host/askCall';
import { inputSchemaOf } from '../../../src/shared/toolContract';
import { ASK_TOOL_NAME, ASK_TOOL_REFERENCE } from '../../../src/surfaces/commandIds';

const manifest = JSON.parse(readFileSync(path.resolve(__dirname, '..', '..', '..', 'package.json'), 'utf8')) as {
  contributes: { languageModelTools: Array<{ name: string; toolReferenceName: string; canBeReferencedInPrompt: boolean; inputSchema: unknown }> };
};

describe('the ask call other agents make', () => {
  it('is contributed to VS Code as one language-model tool, #compiler, with the schema the MCP server lists', () => {
    const tools = manifest.contributes.languageModelTools;
    assert.deepEqual(tools.map((t) => [t.name, t.toolReferenceName, t.canBeReferencedInPrompt]), [[ASK_TOOL_NAME, ASK_TOOL_REFERENCE, true]]);
    assert.deepEqual(tools[0]!.inputSchema, inputSchemaOf(ASK_SPEC));
  });

  it('takes a question and an optional mode', () => {
    assert.deepEqual(bindAskArgs({ question: '  Where is add?  ' }), { question: 'Where is add?' });
    assert.deepEqual(bindAskArgs({ question: 'Where is add?', mode: 'react' }), { question: 'Where is add?', mode: 'react' });
  });

  for (const [name, args, message] of [
    ['no question', {}, 'ask needs question (ask(question, mode?))'],
    ['a blank question', { question: ' \n ' }, 'ask: argument "question" must not be blank'],
    ['an unknown mode', { question: 'q', mode: 'fast' }, 'ask: argument "mode" must be equal to one of the allowed values (got "fast")'],
    ['an unknown parameter', { question: 'q', modus: 'react' }, 'ask has no parameter "modus"; did you mean mode? (ask(question, mode?))'],
  ] as const) {
    it(`refuses ${name} with the planner's message`, () => {
      assert.throws(() => bindAskArgs(args), (error: Error & { reason?: string }) => error.reason === 'invalid-args' && error.message === message);
    });
  }
});
