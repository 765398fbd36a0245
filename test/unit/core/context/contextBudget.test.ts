import assert from 'node:assert/strict';
import { ContextBudget } from '../../../../src/core/context/contextBudget';
import { cutToTokens, narrowHint } from '../../../../src/core/context/cutResult';
import { plannerMessages } from '../../../../src/core/prompts';
import { ToolRegistry } from '../../../../src/core/toolRegistry';
import { DEFAULT_RUN_SETTINGS } from '../../../../src/shared/runSettings';
import { CONSERVATIVE_MEASURE } from '../../../../src/shared/tokenEstimate';
import { createNodeTools } from '../../../../src/tools/nodeTools';

const tools = new ToolRegistry(createNodeTools());
const budget = (tokens: number) => new ContextBudget({ tokens, source: 'test' }, DEFAULT_RUN_SETTINGS, tools.specs(), () => tools.functions());

describe("a run's context budget", () => {
  it('gives way in order: the planner\'s examples first (at 8k and below), then the tool descriptions', () => {
    assert.deepEqual(budget(131_072).form('planned'), { examples: 'all', tools: 'full' });
    assert.equal(budget(8192).form('planned').examples, 'one');
    assert.notEqual(budget(2048).form('planned').tools, 'full');
    for (const tokens of [2048, 4096, 8192, 16_384, 32_768, 131_072]) {
      const form = budget(tokens).form('planned');
      // The tool descriptions are shortened only once the examples are.
      if (form.tools !== 'full') assert.equal(form.examples, 'one', `${tokens}`);
    }
  });

  it('keeps the fixed prefix byte-identical across questions at one context size', () => {
    for (const tokens of [4096, 8192, 131_072]) {
      const form = budget(tokens).form('planned');
      const a = plannerMessages({ question: 'Where is main?', tools: tools.specs(), form, firstId: 1 });
      const b = plannerMessages({ question: 'Who calls retry, and why?', tools: tools.specs(), form: budget(tokens).form('planned'), firstId: 1 });
      assert.equal(a[0]!.content, b[0]!.content);
    }
  });

  it('sizes max_tokens to what the prompt leaves, within the run\'s limit', () => {
    assert.equal(budget(131_072).outputFor(3000), DEFAULT_RUN_SETTINGS.maxOutputTokens);
    const b = budget(4096);
    assert.ok(b.outputFor(100) > 3500 && 100 + b.outputFor(100) <= 4096);
    assert.ok(b.outputFor(3000) > 900 && 3000 + b.outputFor(3000) <= 4096);
  });

  it('stops a context too small for any plan, naming the context, the minimum and the fix', () => {
    const b = new ContextBudget({ tokens: 1024, source: 'Ollama /api/ps', raise: 'OLLAMA_CONTEXT_LENGTH=8192 ollama serve' }, DEFAULT_RUN_SETTINGS, tools.specs());
    assert.throws(
      () => b.ensureRoom('planned', 'Where is main?'),
      (e: Error & { reason?: string }) =>
        e.reason === 'context-too-small' && /holds 1,024 tokens \(Ollama \/api\/ps\)/.test(e.message) && /at least [\d,]+/.test(e.message) && /OLLAMA_CONTEXT_LENGTH=8192/.test(e.message),
    );
    assert.doesNotThrow(() => budget(4096).ensureRoom('planned', 'Where is main?'));
  });

  it('counts at least a token per three characters of code, the most an unknown server is taken to count', () => {
    const code = 'export function add(a: number, b: number): number {\n  return a + b;\n}\n';
    assert.ok(CONSERVATIVE_MEASURE.count(code) >= Math.ceil(code.length / 3));
  });
});

describe('a result cut to fit the context', () => {
  const text = Array.from({ length: 200 }, (_, i) => `${i + 1}: line ${i}`).join('\n');

  it('stays within its tokens, whole lines, with a marker saying how much was cut and how to narrow the call', () => {
    const hint = narrowHint(tools.specs().find((t) => t.name === 'read_file'));
    const cut = cutToTokens(text, 200, CONSERVATIVE_MEASURE, hint);
    assert.ok(cut.cut);
    assert.ok(CONSERVATIVE_MEASURE.count(cut.text) <= 200);
    const [kept, marker] = cut.text.split('\n… ');
    assert.ok(text.startsWith(`${kept!}\n`), 'whole lines');
    assert.match(marker!, /^\[cut to fit the model's context: [\d,]+ more characters, [\d,]+ more lines; to see more, narrow the call: a line range \(start_line, end_line\)\]$/);
  });

  it('leaves a text that fits as it is', () => {
    assert.deepEqual(cutToTokens('short', 100, CONSERVATIVE_MEASURE, 'x'), { text: 'short', cut: false });
  });
});
