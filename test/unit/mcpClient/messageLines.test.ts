import assert from 'node:assert/strict';
import { JsonShrinker } from '../../../src/mcpClient/jsonShrinker';
import { MessageLines } from '../../../src/mcpClient/messageLines';
import { chunkings, describeChunking } from '../../support/chunkings';

function read(chunks: string[], maxChars: number): string[] {
  const lines = new MessageLines(maxChars);
  return [...chunks.flatMap((c) => lines.push(c)), ...lines.flush()];
}

describe('reading a server\'s messages within a bound', () => {
  it('passes lines within the bound through unchanged, however the stream is cut', () => {
    const text = '{"jsonrpc":"2.0","id":1,"result":{"a":"x\\"y"}}\r\n{"jsonrpc":"2.0","method":"n"}\n\n{"b":[1,2]}';
    for (const chunks of chunkings(text)) {
      assert.deepEqual(read(chunks, 100), ['{"jsonrpc":"2.0","id":1,"result":{"a":"x\\"y"}}', '{"jsonrpc":"2.0","method":"n"}', '', '{"b":[1,2]}'], describeChunking(chunks));
    }
  });

  it('cuts a long reply while reading it: valid JSON, the envelope kept, the text cut with a mark, later items left out', () => {
    const reply = {
      result: { content: [{ type: 'text', text: `${'x'.repeat(5_000)}\\"\u00e9` }, { type: 'text', text: 'second' }], structuredContent: { a: [1, 2, 3] } },
      jsonrpc: '2.0',
      id: 7,
    };
    const text = `${JSON.stringify(reply)}\n`;
    for (const size of [1, 3, 7, 64, 100_000]) {
      const chunks: string[] = [];
      for (let i = 0; i < text.length; i += size) chunks.push(text.slice(i, i + size));
      const [line] = read(chunks, 1_000);
      const parsed = JSON.parse(line!) as typeof reply;
      assert.equal(parsed.id, 7);
      assert.equal(parsed.jsonrpc, '2.0');
      assert.equal(parsed.result.content.length, 1, 'the second item is left out');
      assert.match(parsed.result.content[0]!.text, /^x+ … \[cut while reading: the message was larger than the limit\]$/);
      assert.ok(line!.length < 1_200, `${line!.length} characters`);
      assert.equal(parsed.result.structuredContent, undefined);
    }
  });

  it('never cuts inside an escape, keeps literals whole up to a bound, and nulls what nests too deep', () => {
    // 27 characters come before the string's text, so 13 remain: two six-character escapes, not half of a third.
    const shrinker = new JsonShrinker(40);
    const out = shrinker.push('{"id":12345,"result":{"t":"\\u00e9\\u00e9\\u00e9\\u00e9","n":[true,false,null,1.5e3]}}') + shrinker.flush();
    const parsed = JSON.parse(out) as { id: number; result: { t: string; n?: unknown[] } };
    assert.equal(parsed.id, 12345);
    assert.equal(parsed.result.t, '\u00e9\u00e9 … [cut while reading: the message was larger than the limit]');
    assert.equal(parsed.result.n, undefined, 'past the budget, members are left out');
    assert.ok(shrinker.cut);
    const deep = new JsonShrinker(1_000_000);
    const nested = `{"result":${'['.repeat(200)}1${']'.repeat(200)}}`;
    const deepOut = deep.push(nested) + deep.flush();
    assert.doesNotThrow(() => JSON.parse(deepOut));
    assert.match(deepOut, /null/);
  });

  it('closes what a line that ends early left open', () => {
    assert.doesNotThrow(() => JSON.parse(read([`{"result":{"text":"${'y'.repeat(500)}`], 100)[0]!));
  });

  it('holds at most about the bound of a line of any length', () => {
    const lines = new MessageLines(10_000);
    lines.push('data: {"jsonrpc":"2.0","id":3,"result":{"content":[{"type":"text","text":"');
    const piece = 'z'.repeat(100_000);
    let out: string[] = [];
    for (let i = 0; i < 100; i++) out = lines.push(piece);
    assert.deepEqual(out, []);
    const [line] = lines.push('"}]}}\n');
    assert.ok(line!.startsWith('data: {"jsonrpc":"2.0","id":3,'));
    assert.ok(line!.length < 10_200, `${line!.length}`);
    assert.doesNotThrow(() => JSON.parse(line!.slice('data: '.length)));
  });
});
