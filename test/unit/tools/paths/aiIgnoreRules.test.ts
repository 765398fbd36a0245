import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CompilerError } from '../../../../src/base/errors';
import { createNodeTools } from '../../../../src/tools/nodeTools';
import { ReadPolicy } from '../../../../src/tools/paths/readPolicy';
import { rejectionOf, runTool, toolContext } from '../../../support/toolHarness';

/**
 * AI-ignore rules the matcher cannot apply must not be skipped without a word: what they might cover is refused,
 * and the refusal says which rule and why.
 */
describe('AI-ignore rules fail closed', function () {
  this.timeout(30_000);
  let root: string;
  const write = (rel: string, text: string): void => {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), text);
  };
  const tools = createNodeTools({ symbolTools: false });
  const read = async (rel: string): Promise<string> => {
    try {
      return (await runTool(tools, 'read_file', { path: rel }, toolContext([root]))).text;
    } catch (error) {
      assert.ok(error instanceof CompilerError);
      assert.equal(error.reason, 'protected-path', error.message);
      return error.message;
    }
  };

  beforeEach(() => {
    root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'llmc-aiignore-')));
    write('secret/plan.txt', 'SECRET-PLAN\n');
    write('open/readme.txt', 'OPEN-README\n');
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  it('applies a rule of 240 characters', async () => {
    write('.aiexclude', `secret/*\n${'a'.repeat(240)}\n`);
    write(`${'a'.repeat(240)}`, 'LONG-NAME\n');
    assert.match(await read('a'.repeat(240)), /^refused: a+ matches \.aiexclude line 2 `a+`; the tools never read it\.$/);
    assert.match(await read('secret/plan.txt'), /matches \.aiexclude line 1/);
    assert.match(await read('open/readme.txt'), /OPEN-README/);
  });

  it('applies a rule with nine wildcards', async () => {
    write('.cursorignore', 's*e*c*r*e*t*/*l*a*n.txt\n');
    assert.match(await read('secret/plan.txt'), /^refused: secret\/plan\.txt matches \.cursorignore line 1 `s\*e\*c\*r\*e\*t\*\/\*l\*a\*n\.txt`/);
    assert.match(await read('open/readme.txt'), /OPEN-README/);
  });

  it('refuses what a rule too long to apply might cover, and says so', async () => {
    // Anchored under secret/: only that folder is refused.
    write('.aiignore', `secret/${'y'.repeat(1_200)}*\n`);
    const why = await read('secret/plan.txt');
    assert.match(why, /^refused: secret\/plan\.txt is covered by \.aiignore line 1, a rule that cannot be applied \(longer than 1,000 characters\): every file it might match is refused/);
    assert.match(await read('open/readme.txt'), /OPEN-README/);
    // Not anchored: anything below the file's folder.
    write('.aiignore', `${'y'.repeat(1_200)}*\n`);
    assert.match(await read('open/readme.txt'), /is covered by \.aiignore line 1, a rule that cannot be applied/);
  });

  it('refuses what the 1,001st rule and those after it might cover', async () => {
    const rules = Array.from({ length: 1_000 }, (_, i) => `unused-${i}.txt`);
    write('.cursorignore', [...rules, 'secret/plan.txt', 'open/*.txt'].join('\n'));
    // The rules past the cap are not read: all they might cover is the whole folder.
    assert.match(await read('secret/plan.txt'), /is covered by \.cursorignore line 1001, a rule that cannot be applied \(past the first 1,000 rules, as are the lines after it\)/);
    assert.match(await read('open/readme.txt'), /is covered by \.cursorignore line 1001/);
    write('.cursorignore', [...rules.slice(1), 'secret/plan.txt'].join('\n'));
    assert.match(await read('secret/plan.txt'), /matches \.cursorignore line 1000 `secret\/plan\.txt`/);
    assert.match(await read('open/readme.txt'), /OPEN-README/);
  });

  it('applies a .aiexclude in a subfolder, `*` there covering its folder only', async () => {
    write('secret/.aiexclude', '*\n');
    assert.match(await read('secret/plan.txt'), /^refused: secret\/plan\.txt matches secret\/\.aiexclude line 1 `\*`/);
    assert.match(await read('open/readme.txt'), /OPEN-README/);
    const grep = await runTool(tools, 'grep', { pattern: 'SECRET-PLAN|OPEN-README', regex: true }, toolContext([root]));
    assert.doesNotMatch(grep.text, /\d: SECRET-PLAN/);
    assert.match(grep.text, /OPEN-README/);
  });

  it('lets an empty .aiexclude block its folder and every folder below, as Gemini Code Assist documents', async () => {
    write('secret/.aiexclude', '');
    write('secret/deeper/more.txt', 'DEEPER\n');
    assert.match(await read('secret/plan.txt'), /^refused: secret\/plan\.txt is covered by the empty secret\/\.aiexclude, which keeps every file below its folder from AI tools/);
    assert.match(await read('secret/deeper/more.txt'), /the empty secret\/\.aiexclude/);
    assert.match(await read('open/readme.txt'), /OPEN-README/);
  });

  it('takes no `!` in .aiexclude: such a line allows nothing', async () => {
    write('.aiexclude', 'secret/\n!secret/plan.txt\n');
    assert.match(await read('secret/plan.txt'), /matches \.aiexclude line 1 `secret\/`/);
  });

  it('refuses below an AI-ignore file that cannot be read', async () => {
    fs.mkdirSync(path.join(root, 'secret', '.aiignore'));
    assert.match(await read('secret/plan.txt'), /is covered by secret\/\.aiignore, which cannot be read/);
    assert.match(await read('open/readme.txt'), /OPEN-README/);
  });

  it('refuses what a protectedFiles glob too long to apply might cover', async () => {
    const policy = new ReadPolicy([`secret/${'z'.repeat(1_100)}*`]);
    assert.match(policy.refusal(root, 'secret/plan.txt') ?? '', /is covered by the setting llmCompiler\.protectedFiles `secret\/z+\*`, a glob that cannot be applied/);
    assert.equal(policy.refusal(root, 'open/readme.txt'), undefined);
  });

  it('reads an AI-ignore file afresh for each call, even rewritten with the same size and times', async () => {
    const file = path.join(root, '.cursorignore');
    fs.writeFileSync(file, 'open/\n');
    assert.match(await read('secret/plan.txt'), /SECRET-PLAN/);
    const before = fs.statSync(file);
    // touch copies the times to the nanosecond, as an attacker would set them back.
    execFileSync('cp', ['-p', file, `${file}.times`]);
    fs.writeFileSync(file, 'secr*\n');
    execFileSync('touch', ['-r', `${file}.times`, file]);
    const after = fs.statSync(file, { bigint: true });
    assert.deepEqual([after.size, after.mtimeNs, after.ino], [BigInt(before.size), fs.statSync(`${file}.times`, { bigint: true }).mtimeNs, BigInt(before.ino)]);
    assert.match(await read('secret/plan.txt'), /matches \.cursorignore line 1 `secr\*`/);
  });

  it('refuses a protected name asked of list_dir, and leaves protected entries out of listings', async () => {
    write('.cursorignore', 'secret/\n');
    write('open/.env', 'KEY=1\n');
    write('open/id_rsa', 'k\n');
    const error = await rejectionOf(runTool(tools, 'list_dir', { path: 'secret' }, toolContext([root])));
    assert.ok(error instanceof CompilerError && error.reason === 'protected-path', String(error));
    const listing = await runTool(tools, 'list_dir', {}, toolContext([root]));
    assert.doesNotMatch(listing.text, /secret|\.env|id_rsa/);
    assert.match(listing.text, /readme\.txt/);
    const found = await runTool(tools, 'find_files', { glob: '**' }, toolContext([root]));
    assert.doesNotMatch(found.text, /secret|\.env|id_rsa/);
    assert.match(found.text, /^2 files match "\*\*":/);
  });
});

describe('names of protected files', function () {
  this.timeout(30_000);
  let root: string;

  before(() => {
    root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'llmc-names-')));
    for (const rel of ['.env', 'src/app.ts', 'private/notes.md', 'config/.env.production']) {
      fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
      fs.writeFileSync(path.join(root, rel), 'x\n');
    }
    fs.writeFileSync(path.join(root, '.aiignore'), 'private/\n');
    fs.mkdirSync(path.join(root, '.git', 'refs'), { recursive: true });
    fs.writeFileSync(path.join(root, '.git', 'config'), '[remote "origin"]\n');
  });
  after(() => fs.rmSync(root, { recursive: true, force: true }));

  it('are left out of find_files and list_dir by default', async () => {
    const tools = createNodeTools({ symbolTools: false });
    const found = await runTool(tools, 'find_files', { glob: '**' }, toolContext([root]));
    assert.deepEqual(found.value, ['.aiignore', 'src/app.ts']);
    const listing = await runTool(tools, 'list_dir', { depth: 3 }, toolContext([root]));
    assert.deepEqual((listing.value as Array<{ path: string }>).map((e) => e.path), ['config', 'src', 'src/app.ts', '.aiignore']);
  });

  it('are shown, marked, with listProtectedFiles; their contents and .git internals never', async () => {
    const tools = createNodeTools({ symbolTools: false, listProtectedFiles: true });
    const found = await runTool(tools, 'find_files', { glob: '**' }, toolContext([root]));
    assert.deepEqual(found.value, ['.aiignore', '.env', 'config/.env.production', 'private/notes.md', 'src/app.ts']);
    assert.match(found.text, /^\.env \(protected: not readable\)$/m);
    assert.match(found.text, /^private\/notes\.md \(protected: not readable\)$/m);
    assert.match(found.text, /^src\/app\.ts$/m);
    const listing = await runTool(tools, 'list_dir', { depth: 3 }, toolContext([root]));
    assert.match(listing.text, /^ {2}private\/ \(protected: not readable\)$/m);
    assert.doesNotMatch(listing.text, /notes\.md|\.git\b/);
    assert.match(listing.text, /\.env \(protected: not readable\)/);
    const error = await rejectionOf(runTool(tools, 'read_file', { path: '.env' }, toolContext([root])));
    assert.ok(error instanceof CompilerError && error.reason === 'protected-path');
    const gitListing = await rejectionOf(runTool(tools, 'list_dir', { path: '.git' }, toolContext([root])));
    assert.ok(gitListing instanceof CompilerError && gitListing.reason === 'protected-path');
  });
});
