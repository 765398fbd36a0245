import assert from 'node:assert/strict';
import { textOfParts, toChatMessage } from '../../../../src/vscode/models/lmMessageParts';

// Stand-ins with the fields of VS Code's part classes (vscode.d.ts): the converter reads parts by their shape.
class LanguageModelTextPart {
  constructor(readonly value: string) {}
}
class LanguageModelToolCallPart {
  constructor(
    readonly callId: string,
    readonly name: string,
    readonly input: object,
  ) {}
}
class LanguageModelToolResultPart {
  constructor(
    readonly callId: string,
    readonly content: unknown[],
  ) {}
}
class LanguageModelDataPart {
  constructor(
    readonly data: Uint8Array,
    readonly mimeType: string,
  ) {}
}

describe('VS Code chat message parts', () => {
  it('reads an assistant turn: its text and its tool calls', () => {
    const message = toChatMessage('assistant', [
      new LanguageModelTextPart('Let me look. '),
      new LanguageModelToolCallPart('call_1', 'read_file', { path: 'src/a.ts' }),
      new LanguageModelToolCallPart('call_2', 'list_errors', {}),
    ]);
    assert.deepEqual(message, {
      role: 'assistant',
      content: 'Let me look. ',
      toolCalls: [
        { id: 'call_1', name: 'read_file', input: { path: 'src/a.ts' } },
        { id: 'call_2', name: 'list_errors', input: {} },
      ],
    });
  });

  it('reads a user turn carrying tool results as results, not as its text', () => {
    const message = toChatMessage('user', [
      new LanguageModelToolResultPart('call_1', [new LanguageModelTextPart('line 1\n'), new LanguageModelTextPart('line 2')]),
      new LanguageModelTextPart('And the tests?'),
    ]);
    assert.deepEqual(message, { role: 'user', content: 'And the tests?', toolResults: [{ callId: 'call_1', content: 'line 1\nline 2' }] });
  });

  it('reads the text of textual data parts and of prompt-tsx parts in tool results', () => {
    const tsx = { value: { node: { type: 1, children: [{ type: 2, text: 'src/a.ts:', priority: 1 }, { type: 1, children: [{ type: 2, text: ' 3 matches' }] }] } } };
    const json = new LanguageModelDataPart(new TextEncoder().encode('{"ok":true}'), 'application/json');
    const image = new LanguageModelDataPart(new Uint8Array([137, 80]), 'image/png');
    const message = toChatMessage('user', [new LanguageModelToolResultPart('call_1', [tsx, json, image])]);
    assert.deepEqual(message.toolResults, [{ callId: 'call_1', content: 'src/a.ts: 3 matches{"ok":true}' }]);
  });

  it('leaves out parts it cannot send as text, and counts tool results as text for token counts', () => {
    const data = new LanguageModelDataPart(new Uint8Array([1, 2]), 'image/png');
    assert.deepEqual(toChatMessage('user', [data, new LanguageModelTextPart('hi')]), { role: 'user', content: 'hi' });
    assert.equal(textOfParts([new LanguageModelTextPart('a'), new LanguageModelToolResultPart('c', [new LanguageModelTextPart('b')]), data]), 'ab');
  });
});
