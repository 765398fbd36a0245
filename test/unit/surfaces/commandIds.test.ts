import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import {
  CHAT_COMPARE_COMMAND,
  CHAT_MODE_COMMANDS,
  CHAT_PARTICIPANT_ID,
  CHAT_PARTICIPANT_NAME,
  COMMANDS,
  GRAPH_VIEW_TYPE,
} from '../../../src/surfaces/commandIds';

const manifest = JSON.parse(readFileSync(path.resolve(__dirname, '..', '..', '..', 'package.json'), 'utf8')) as {
  activationEvents: string[];
  contributes: {
    commands: Array<{ command: string }>;
    chatParticipants: Array<{ id: string; name: string; commands: Array<{ name: string }> }>;
  };
};

describe('command ids', () => {
  it('names exactly the commands package.json contributes', () => {
    assert.deepEqual(manifest.contributes.commands.map((c) => c.command).sort(), Object.values(COMMANDS).sort());
  });

  it('names the contributed chat participant and the restorable task-graph view', () => {
    assert.deepEqual(
      manifest.contributes.chatParticipants.map((p) => [p.id, p.name]),
      [[CHAT_PARTICIPANT_ID, CHAT_PARTICIPANT_NAME]],
    );
    assert.ok(manifest.activationEvents.includes(`onWebviewPanel:${GRAPH_VIEW_TYPE}`));
  });

  it('contributes exactly the chat commands the participant handles', () => {
    const names = manifest.contributes.chatParticipants[0]!.commands.map((c) => c.name);
    assert.deepEqual(names.sort(), [...Object.keys(CHAT_MODE_COMMANDS), CHAT_COMPARE_COMMAND].sort());
  });
});
