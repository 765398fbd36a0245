import assert from 'node:assert/strict';
import { ToolRegistry } from '../../../src/core/toolRegistry';
import { inputSchemaOf } from '../../../src/shared/toolContract';
import type { ToolSpec } from '../../../src/shared/toolContract';
import { createNodeTools } from '../../../src/tools/nodeTools';

describe('a tool spec as a JSON schema', () => {
  it('describes each parameter as the planner reads it, even where its schema carries a description of its own', () => {
    const spec: ToolSpec = {
      name: 'grep',
      description: 'Searches.',
      params: [
        { name: 'pattern', schema: { type: 'string', description: 'a regex' }, description: 'What to search for.' },
        { name: 'glob', schema: { type: 'string' }, optional: true, description: 'Which files.' },
      ],
    };
    assert.deepEqual(inputSchemaOf(spec), {
      type: 'object',
      properties: { pattern: { type: 'string', description: 'What to search for.' }, glob: { type: 'string', description: 'Which files.' } },
      required: ['pattern'],
      additionalProperties: false,
    });
  });

  it('is the same schema a function-calling model is given and an MCP client lists', () => {
    const tools = createNodeTools();
    const functions = new ToolRegistry(tools).functions();
    assert.deepEqual(functions.map((f) => f.inputSchema), tools.map((t) => inputSchemaOf(t)));
  });
});
