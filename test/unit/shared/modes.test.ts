import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { COMPARE_MODES, MODE_LABELS, MODEL_PURPOSES, RUN_MODES } from '../../../src/shared/modes';
import { CHAT_COMPARE_COMMAND } from '../../../src/surfaces/commandIds';
import { parseCompareRequest } from '../../../src/surfaces/compareRequest';

const manifest = JSON.parse(readFileSync(path.resolve(__dirname, '..', '..', '..', 'package.json'), 'utf8')) as {
  contributes: {
    chatParticipants: Array<{ commands: Array<{ name: string }> }>;
    configuration: { properties: Record<string, { enum?: string[] }> };
    languageModelTools: Array<{ name: string; inputSchema: { properties: Record<string, { enum?: string[] }> } }>;
  };
};

describe('the modes table: what package.json contributes is what the table lists', () => {
  it('the chat commands: one per mode that has one, and /compare', () => {
    const names = manifest.contributes.chatParticipants[0]!.commands.map((c) => c.name);
    const modeCommands = RUN_MODES.flatMap((m) => MODE_LABELS[m].chatCommand ?? []);
    assert.deepEqual([...names].sort(), [...modeCommands, CHAT_COMPARE_COMMAND].sort());
  });

  it('llmCompiler.mode and llmCompiler.compareWith list the modes in table order', () => {
    const settings = manifest.contributes.configuration.properties;
    assert.deepEqual(settings['llmCompiler.mode']!.enum, RUN_MODES);
    assert.deepEqual(settings['llmCompiler.compareWith']!.enum, COMPARE_MODES);
    assert.deepEqual(COMPARE_MODES, RUN_MODES.filter((m) => m !== 'compiler'));
  });

  it('the llm-compiler_ask tool takes every mode', () => {
    const [ask] = manifest.contributes.languageModelTools;
    assert.deepEqual(ask!.inputSchema.properties.mode!.enum, RUN_MODES);
  });

  it('/compare takes each other mode by its chat command and by its own name', () => {
    for (const mode of COMPARE_MODES) {
      for (const word of [mode, MODE_LABELS[mode].chatCommand].filter((w) => w !== undefined)) {
        assert.deepEqual(parseCompareRequest(`${word} where is x?`, 'react'), { against: mode, question: 'where is x?' }, word);
      }
    }
  });

  it('names every model-call purpose once', () => {
    assert.equal(new Set(MODEL_PURPOSES).size, MODEL_PURPOSES.length);
  });
});
