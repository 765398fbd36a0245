import assert from 'node:assert/strict';
import { historyMessages } from '../../../src/surfaces/chatHistory';

describe('chat history', () => {
  it('keeps turns in order as user and assistant messages', () => {
    assert.deepEqual(
      historyMessages([
        { role: 'user', text: 'Where is main?' },
        { role: 'assistant', text: 'In src/main.ts:3.' },
      ]),
      [
        { role: 'user', content: 'Where is main?' },
        { role: 'assistant', content: 'In src/main.ts:3.' },
      ],
    );
  });

  it('merges consecutive turns of one role and drops empty ones', () => {
    const out = historyMessages([
      { role: 'user', text: 'first' },
      { role: 'assistant', text: '  ' },
      { role: 'user', text: 'second' },
    ]);
    assert.deepEqual(out, [{ role: 'user', content: 'first\n\nsecond' }]);
  });

  it('keeps the newest messages, starting with a user turn, and cuts long ones', () => {
    const turns = Array.from({ length: 10 }, (_, i) => ({ role: i % 2 ? ('assistant' as const) : ('user' as const), text: `t${i}` }));
    const out = historyMessages(turns, { maxMessages: 3, maxChars: 100 });
    assert.deepEqual(out.map((m) => m.content), ['t8', 't9']);
    const long = historyMessages([{ role: 'user', text: 'x'.repeat(50) }], { maxMessages: 4, maxChars: 10 });
    assert.equal(long[0]!.content, `${'x'.repeat(10)}\n[… 40 more characters]`);
  });
});
