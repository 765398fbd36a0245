import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CompilerError } from '../../../../src/base/errors';
import { ReadPolicy, SECRET_RULES, readableFile } from '../../../../src/tools/paths/readPolicy';
import type { Tool } from '../../../../src/shared/toolContract';
import { createNodeTools } from '../../../../src/tools/nodeTools';
import { forEachBackend } from '../../../support/backends';
import { isolatedGitEnv } from '../../../support/gitFixture';
import { askThroughModelServer } from '../../../support/leakCheck';
import { rejectionOf, runTool, toolContext } from '../../../support/toolHarness';

/** A secret value planted in every protected file; it must reach no tool output and no request to the model. */
const TOKEN = 'sk-PLANTED-9f3a';

/** Protected files of the fixture and the rule that must be named when one is refused. */
const PROTECTED: Array<[string, string]> = [
  ['.env', 'the built-in secret rule `.env`'],
  ['.env.local', 'the built-in secret rule `.env.*`'],
  ['config/.env.production', 'the built-in secret rule `.env.*`'],
  ['certs/server.pem', 'the built-in secret rule `*.pem`'],
  ['certs/server.key', 'the built-in secret rule `*.key`'],
  ['deploy/id_rsa', 'the built-in secret rule `id_rsa`'],
  ['.npmrc', 'the built-in secret rule `.npmrc`'],
  ['.netrc', 'the built-in secret rule `.netrc`'],
  ['.pypirc', 'the built-in secret rule `.pypirc`'],
  ['home/.aws/credentials', 'the built-in secret rule `**/.aws/credentials`'],
  ['home/.config/gcloud/credentials.db', 'the built-in secret rule `**/.config/gcloud/`'],
  ['home/.azure/accessTokens.json', 'the built-in secret rule `**/.azure/`'],
  ['home/.docker/config.json', 'the built-in secret rule `**/.docker/config.json`'],
  ['home/.kube/config', 'the built-in secret rule `**/.kube/config`'],
  ['secrets/db.txt', '.cursorignore line 3 `secrets/`'],
  ['private/notes.md', '.aiignore line 1 `private/**`'],
  ['vault.txt', '.aiexclude line 2 `vault.txt`'],
];

describe('protected files: secrets, git internals and AI-ignore rules', function () {
  this.timeout(60_000);
  let base: string;
  let root: string;
  const git = (args: string[]) => execFileSync('git', args, { cwd: root, env: isolatedGitEnv(), encoding: 'utf8' });
  const write = (rel: string, text: string): void => {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), text);
  };

  before(() => {
    base = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'llmc-protected-')));
    root = path.join(base, 'ws');
    fs.mkdirSync(root);
    git(['init', '-q', '-b', 'main']);
    git(['config', 'user.name', 'T']);
    git(['config', 'user.email', 't@example.com']);
    git(['config', 'commit.gpgsign', 'false']);
    git(['config', 'remote.origin.url', `https://user:${TOKEN}@example.com/repo.git`]);
    write('.cursorignore', '# kept from AI tools\n\nsecrets/\n');
    write('.aiignore', 'private/**\n');
    write('.aiexclude', '# Gemini\nvault.txt\n');
    for (const [rel] of PROTECTED) write(rel, `KEY=${TOKEN}\n`);
    write('.env.example', 'KEY=put-your-key-here\n');
    write('src/app.ts', "export const app = 'app';\n");
    write('secrets/keys.ts', `export const secretKey = '${TOKEN}';\n`);
    write('src/uses.ts', "import { secretKey } from '../secrets/keys';\n\nexport const used = secretKey;\n");
    git(['add', '-A']);
    git(['commit', '-qm', 'first']);
    for (const [rel] of PROTECTED) write(rel, `KEY=${TOKEN}\nKEY2=${TOKEN}-changed\n`);
    write('src/app.ts', "export const app = 'app2';\n");
    git(['commit', '-qam', 'second']);
    for (const [rel] of PROTECTED) write(rel, `KEY=${TOKEN}-uncommitted\n`);
    // A link inside the workspace to a protected file is refused by what it leads to.
    fs.symlinkSync('.env', path.join(root, 'innocent.txt'));
    fs.mkdirSync(path.join(base, 'outside'));
    fs.writeFileSync(path.join(base, 'outside', 'o.ts'), `export const o = '${TOKEN}';\n`);
    fs.symlinkSync(path.join(base, 'outside'), path.join(root, 'linked'));
  });
  after(() => fs.rmSync(base, { recursive: true, force: true }));

  // The tests that call symbol tools share one set: each set starts a worker thread that loads TypeScript.
  let symbolTools: Tool[] | undefined;
  const withSymbolTools = (): Tool[] => (symbolTools ??= createNodeTools());

  const reasonAndMessage = async (promise: Promise<unknown>): Promise<[string, string]> => {
    const error = await rejectionOf(promise);
    assert.ok(error instanceof CompilerError, String(error));
    return [error.reason, error.message];
  };

  describe('read_file', () => {
    const tools = createNodeTools({ symbolTools: false });
    for (const [rel, rule] of PROTECTED) {
      it(`refuses ${rel}, naming ${rule}`, async () => {
        const [reason, message] = await reasonAndMessage(runTool(tools, 'read_file', { path: rel }, toolContext([root])));
        assert.equal(reason, 'protected-path');
        assert.equal(message, `refused: ${rel} matches ${rule}; the tools never read it.`);
      });
    }

    it('refuses git internals, where remote URLs can hold tokens', async () => {
      for (const rel of ['.git/config', '.git/HEAD', '.git', 'src/../.git/config']) {
        const [reason, message] = await reasonAndMessage(runTool(tools, 'read_file', { path: rel }, toolContext([root])));
        assert.equal(reason, 'protected-path', rel);
        assert.match(message, /matches the built-in secret rule `\.git`/);
      }
    });

    it('refuses a link to a protected file by what it leads to', async () => {
      const [reason, message] = await reasonAndMessage(runTool(tools, 'read_file', { path: 'innocent.txt' }, toolContext([root])));
      assert.equal(reason, 'protected-path');
      assert.match(message, /^refused: \.env matches the built-in secret rule `\.env`/);
    });

    it('reads templates such as .env.example and ordinary files', async () => {
      assert.match((await runTool(tools, 'read_file', { path: '.env.example' }, toolContext([root]))).text, /put-your-key-here/);
      assert.match((await runTool(tools, 'read_file', { path: 'src/app.ts' }, toolContext([root]))).text, /app2/);
    });

    it('takes more globs from the setting, whose `!` rules can allow a built-in secret', async () => {
      const custom = createNodeTools({ symbolTools: false, protectedGlobs: ['*.ts', '!.env.local'] });
      const [reason, message] = await reasonAndMessage(runTool(custom, 'read_file', { path: 'src/app.ts' }, toolContext([root])));
      assert.equal(reason, 'protected-path');
      assert.equal(message, 'refused: src/app.ts matches the setting llmCompiler.protectedFiles `*.ts`; the tools never read it.');
      assert.match((await runTool(custom, 'read_file', { path: '.env.local' }, toolContext([root]))).text, /sk-PLANTED/);
    });

    it('lets no project ignore file allow what the built-in rules refuse', async () => {
      fs.appendFileSync(path.join(root, '.cursorignore'), '!.env\n!*.pem\n');
      try {
        for (const rel of ['.env', 'certs/server.pem']) {
          const [reason] = await reasonAndMessage(runTool(tools, 'read_file', { path: rel }, toolContext([root])));
          assert.equal(reason, 'protected-path');
        }
      } finally {
        fs.writeFileSync(path.join(root, '.cursorignore'), '# kept from AI tools\n\nsecrets/\n');
      }
    });
  });

  describe('grep', () => {
    forEachBackend((backend) => {
      it('searches no protected file', async () => {
        const tools = backend.tools({ symbolTools: false });
        const out = await runTool(tools, 'grep', { pattern: 'KEY' }, toolContext([root]));
        assert.ok(!out.text.includes(TOKEN), out.text);
        assert.match(out.text, /\.env\.example/);
        // Not a word of them: a note only when a protected file matched would tell the pattern's answer on its text.
        assert.doesNotMatch(out.text, /protected|left out/);
      });
    });
  });

  describe('git tools', () => {
    const tools = createNodeTools({ symbolTools: false });
    it('git_show(rev, path) and git_blame refuse protected files', async () => {
      for (const [rel, rule] of PROTECTED) {
        for (const [name, args] of [['git_show', { rev: 'HEAD', path: rel }], ['git_blame', { path: rel }]] as const) {
          const [reason, message] = await reasonAndMessage(runTool(tools, name, args, toolContext([root])));
          assert.equal(reason, 'protected-path', `${name} ${rel}`);
          assert.equal(message, `refused: ${rel} matches ${rule}; the tools never read it.`);
        }
      }
    });

    it('git_show and git_diff list protected files but leave their content out of the patch', async () => {
      const outputs = [
        await runTool(tools, 'git_show', { rev: 'HEAD' }, toolContext([root])),
        await runTool(tools, 'git_show', { rev: 'HEAD~1' }, toolContext([root])),
        await runTool(tools, 'git_diff', {}, toolContext([root])),
        await runTool(tools, 'git_diff', { from: 'HEAD~1' }, toolContext([root])),
        await runTool(tools, 'git_diff', { from: 'HEAD~1', to: 'HEAD' }, toolContext([root])),
        await runTool(tools, 'git_diff', { path: 'certs' }, toolContext([root])),
      ];
      for (const out of outputs) {
        assert.ok(!out.text.includes(TOKEN), out.text);
        assert.match(out.text, /certs\/server\.pem/);
        assert.match(out.text, /content left out: certs\/server\.pem matches the built-in secret rule `\*\.pem`/);
      }
      assert.match(outputs[0].text, /app2/);
    });
  });

  describe('symbol tools', () => {
    const tools = withSymbolTools();
    it('neither index nor show protected files, and refuse to outline one', async () => {
      const outputs = await Promise.all([
        runTool(tools, 'symbols', { query: 'secretKey' }, toolContext([root])),
        runTool(tools, 'definition', { name_or_location: 'src/uses.ts:1:10' }, toolContext([root])),
        runTool(tools, 'references', { name_or_location: 'src/uses.ts:3:21' }, toolContext([root])),
      ]);
      for (const out of outputs) {
        assert.ok(!out.text.includes(TOKEN), out.text);
        assert.ok(!JSON.stringify(out.value).includes('secrets/keys.ts'), JSON.stringify(out.value));
      }
      const [reason, message] = await reasonAndMessage(runTool(tools, 'outline', { path: 'secrets/keys.ts' }, toolContext([root])));
      assert.equal(reason, 'protected-path');
      assert.equal(message, 'refused: secrets/keys.ts matches .cursorignore line 3 `secrets/`; the tools never read it.');
      const [defReason] = await reasonAndMessage(runTool(tools, 'definition', { name_or_location: 'secrets/keys.ts:1:14' }, toolContext([root])));
      assert.equal(defReason, 'protected-path');
    });

    it('show an editor-found file only when it is readable (the VS Code symbol tools\' check)', async () => {
      const policy = new ReadPolicy();
      assert.equal(await readableFile(path.join(root, 'src', 'app.ts'), [root], policy), path.join(root, 'src', 'app.ts'));
      assert.equal(await readableFile(path.join(root, 'innocent.txt'), [root], policy), undefined);
      assert.equal(await readableFile(path.join(root, 'secrets', 'keys.ts'), [root], policy), undefined);
      assert.equal(await readableFile(path.join(root, 'linked', 'o.ts'), [root], policy), undefined);
      assert.equal(await readableFile(path.join(base, 'outside', 'o.ts'), [root], policy), undefined);
    });
  });

  it('sends no secret to the model endpoint', async () => {
    const tools = withSymbolTools();
    const asked = await askThroughModelServer(tools, [root], [
      'read_file(".env")',
      'read_file(".git/config")',
      'read_file("innocent.txt")',
      'grep("KEY")',
      'git_show("HEAD")',
      'git_diff()',
      'git_show("HEAD", "certs/server.pem")',
      'git_blame("secrets/db.txt")',
      'outline("secrets/keys.ts")',
      'references("src/uses.ts:3:21")',
    ]);
    assert.equal(asked.taskTexts.length, 10);
    assert.ok(asked.sentToModel.includes('refused: .env matches the built-in secret rule `.env`'));
    assert.ok(!asked.sentToModel.includes(TOKEN));
  });

  it('answers as git check-ignore does with the same rules, for many paths', () => {
    // The built-in rules and some user globs as a .gitignore, asked of git itself.
    const globs = ['config/prod/**', '!.env.test', 'notes?.md', '/top-only.txt', 'deep/**/x.txt'];
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'llmc-oracle-'));
    try {
      execFileSync('git', ['init', '-q'], { cwd: dir, env: isolatedGitEnv() });
      fs.writeFileSync(path.join(dir, '.gitignore'), [...SECRET_RULES, ...globs].join('\n') + '\n');
      const paths = [
        '.env', 'a/.env', '.env.local', '.env.example', 'a/b/.env.sample', '.env.test', 'x.pem', 'a/b/c.key', 'id_rsa', 'id_rsa.pub',
        '.git/config', 'sub/.git/HEAD', '.gitignore', '.github/workflows/ci.yml', 'home/.aws/credentials', '.aws/config', 'a/.config/gcloud/x.json',
        'src/credentials.json', 'docs/credentials.md', 'config/prod/db.yml', 'config/dev/db.yml', 'notes1.md', 'notes12.md', 'top-only.txt',
        'a/top-only.txt', 'deep/x.txt', 'deep/a/b/x.txt', 'src/index.ts', 'terraform.tfstate', 'a/.kube/config', '.kube/other', 'a/.docker/config.json',
      ];
      const out = execFileSync('git', ['check-ignore', '--no-index', '-v', '--non-matching', '--stdin'], { cwd: dir, env: isolatedGitEnv(), input: paths.join('\n'), encoding: 'utf8' });
      const gitSays = new Map<string, boolean>();
      for (const line of out.trim().split('\n')) {
        const [source, file] = line.split('\t');
        const pattern = source!.split(':').slice(2).join(':');
        gitSays.set(file!, source !== '::' && !pattern.startsWith('!'));
      }
      const policy = new ReadPolicy(globs);
      for (const p of paths) assert.equal(policy.refusal(dir, p) !== undefined, gitSays.get(p), p);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
