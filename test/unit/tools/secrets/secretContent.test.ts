import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CompilerError } from '../../../../src/base/errors';
import type { Tool } from '../../../../src/shared/toolContract';
import { createNodeTools } from '../../../../src/tools/nodeTools';
import { ReadPolicy, SECRET_RULES } from '../../../../src/tools/paths/readPolicy';
import { withholdSecrets } from '../../../../src/tools/secrets/secretScan';
import { BACKENDS } from '../../../support/backends';
import { skipBecause } from '../../../support/skips';
import { isolatedGitEnv } from '../../../support/gitFixture';
import { askThroughModelServer } from '../../../support/leakCheck';
import { rejectionOf, runTool, toolContext } from '../../../support/toolHarness';

const repeat = (unit: string, n: number): string => unit.repeat(Math.ceil(n / unit.length)).slice(0, n);

/** Tokens of the well-known kinds, made up; each must reach no output. */
const TOKENS: Record<string, string> = {
  'github-pat': `ghp_${repeat('A1b2C3d4', 36)}`,
  'github-fine-grained-pat': `github_pat_${repeat('11AbCdEf_', 82)}`,
  'slack-bot-token': `xoxb-1234567890-1234567890123-${repeat('aBcDeF', 24)}`,
  'aws-access-token': 'AKIAIOSFODNN7QWERTY2'.slice(0, 20),
  'gitlab-pat': `glpat-${repeat('x1Y2z3', 20)}`,
  'npm-access-token': `npm_${repeat('a1b2c3', 36)}`,
  'openai-api-key': `sk-proj-${repeat('Ab1_Cd2-', 74)}T3BlbkFJ${repeat('Ef3_Gh4-', 74)}`,
  'stripe-access-token': `sk_live_${repeat('51HxYz', 24)}`,
};
const KEY_BODY = ['MIIEowIBAAKCAQEA7bq98XtI0wKlZ3s1Y5k2yXq0m1w0kQ3o7x8F3Jt+gk2v5d8a', 'q9Zr0l3mN4o5P6q7R8s9T0u1V2w3X4y5Z6a7B8c9D0e1F2g3H4i5J6k7L8m9N0oP'];
const KEY = ['-----BEGIN RSA PRIVATE KEY-----', ...KEY_BODY, '-----END RSA PRIVATE KEY-----'].join('\n');
const SECRETS = [...Object.values(TOKENS), ...KEY_BODY];

describe('secret content in files of any name', function () {
  this.timeout(60_000);
  let root: string;
  const git = (args: string[]) => execFileSync('git', args, { cwd: root, env: isolatedGitEnv(), encoding: 'utf8' });
  const write = (rel: string, text: string): void => {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), text);
  };
  const assertClean = (output: { text: string; value?: unknown }, where: string): void => {
    const all = `${output.text}\n${JSON.stringify(output.value ?? '')}`;
    for (const secret of SECRETS) assert.ok(!all.includes(secret), `${where} shows ${secret.slice(0, 12)}…:\n${output.text}`);
  };

  // The tests that call symbol tools share one set: each set starts a worker thread that loads TypeScript.
  let symbolTools: Tool[] | undefined;
  const withSymbolTools = (): Tool[] => (symbolTools ??= createNodeTools());

  before(() => {
    root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'llmc-secret-content-')));
    git(['init', '-q', '-b', 'main']);
    git(['config', 'user.name', 'T']);
    git(['config', 'user.email', 't@example.com']);
    git(['config', 'commit.gpgsign', 'false']);
    write('README.md', 'A project.\n');
    git(['add', '-A']);
    git(['commit', '-qm', 'first']);
    const config = Object.entries(TOKENS).map(([id, token]) => `${id.replace(/-/g, '_').toUpperCase()} = "${token}"`);
    write('docs/notes.txt', ['Deployment notes', KEY, ...config, 'the end'].join('\n') + '\n');
    write('src/keys.ts', `export const deployToken = '${TOKENS['github-pat']}';\nexport const other = 1;\n`);
    write('src/pem.ts', "export const isKey = (s: string) => s.startsWith('-----BEGIN RSA PRIVATE KEY-----');\n");
    git(['add', '-A']);
    git(['commit', '-qm', 'notes']);
    write('docs/notes.txt', ['Deployment notes, changed', KEY, ...config, 'the end'].join('\n') + '\n');
  });
  after(() => fs.rmSync(root, { recursive: true, force: true }));

  it('read_file withholds the key and every token, and says what and why', async () => {
    const out = await runTool(createNodeTools({ symbolTools: false }), 'read_file', { path: 'docs/notes.txt' }, toolContext([root]));
    assertClean(out, 'read_file');
    assert.match(out.text, /\[withheld: a private key\]/);
    for (const id of Object.keys(TOKENS)) assert.match(out.text, new RegExp(`\\[withheld: a token \\(gitleaks rule ${id}\\)\\]`), id);
    assert.match(out.text, /\[Withheld from this output: a private key, a token \(gitleaks rule [a-z-]+\)(, a token \(gitleaks rule [a-z-]+\))*\. The tools never send private keys or access tokens to the model\.\]$/);
    assert.match(out.text, /Deployment notes, changed/);
    assert.match(out.text, /the end/);
  });

  it('withholds a key cut short by a line range', async () => {
    const out = await runTool(createNodeTools({ symbolTools: false }), 'read_file', { path: 'docs/notes.txt', start_line: 1, end_line: 3 }, toolContext([root]));
    assertClean(out, 'read_file lines 1-3');
    assert.match(out.text, /\[withheld: a private key\]/);
  });

  it('leaves code that names the marker, with no key after it, as it is', async () => {
    const out = await runTool(createNodeTools({ symbolTools: false }), 'read_file', { path: 'src/pem.ts' }, toolContext([root]));
    assert.match(out.text, /startsWith\('-----BEGIN RSA PRIVATE KEY-----'\)/);
    assert.doesNotMatch(out.text, /withheld/i);
  });

  for (const backend of BACKENDS) {
    it(`grep withholds them from matching and context lines (${backend.name})`, async function () {
      if (backend.missing) skipBecause(this, backend.missing);
      const out = await runTool(backend.tools({ symbolTools: false }), 'grep', { pattern: 'notes|TOKEN|KEY|MII', regex: true, context_lines: 3 }, toolContext([root]));
      assertClean(out, 'grep');
      assert.match(out.text, /withheld/);
    });
  }

  for (const backend of BACKENDS) {
    it(`grep withholds a key's lines found apart from its BEGIN line (${backend.name})`, async function () {
      if (backend.missing) skipBecause(this, backend.missing);
      const tools = backend.tools({ symbolTools: false });
      const queries: Array<Record<string, string | boolean>> = [{ pattern: 'MII' }, { pattern: '^[A-Za-z0-9+/]{64}$', regex: true }, { pattern: KEY_BODY[1]!.slice(20, 40) }];
      for (const args of queries) {
        const out = await runTool(tools, 'grep', args, toolContext([root]));
        assertClean(out, `grep ${JSON.stringify(args)}`);
        assert.match(out.text, /\[withheld: a line that may be part of a private key\]/, JSON.stringify(args));
        assert.match(out.text, /Withheld from this output: lines that may be part of a private key/);
      }
    });
  }

  it('read_file and git_blame withhold a range inside a key, and a later hunk inside one', async () => {
    const tools = createNodeTools({ symbolTools: false });
    for (const [name, args] of [
      ['read_file', { path: 'docs/notes.txt', start_line: 3, end_line: 4 }],
      ['git_blame', { path: 'docs/notes.txt', start_line: 3, end_line: 4 }],
    ] as const) {
      const out = await runTool(tools, name, args, toolContext([root]));
      assertClean(out, `${name} ${JSON.stringify(args)}`);
      assert.match(out.text, /\[withheld: a line that may be part of a private key\]/, name);
    }
    // A patch that changes a key's middle line shows it without the BEGIN line (three lines of context above).
    const long = ['-----BEGIN OPENSSH PRIVATE KEY-----', ...KEY_BODY, ...KEY_BODY, 'aB3' + KEY_BODY[0]!.slice(3), '-----END OPENSSH PRIVATE KEY-----'];
    write('keys/inline.txt', long.join('\n') + '\n');
    git(['add', 'keys/inline.txt']);
    git(['commit', '-qm', 'inline key']);
    write('keys/inline.txt', [...long.slice(0, 5), 'Zz9' + KEY_BODY[1]!.slice(3), ...long.slice(6)].join('\n') + '\n');
    try {
      const out = await runTool(tools, 'git_diff', { path: 'keys/inline.txt' }, toolContext([root]));
      assertClean(out, 'git_diff of a key line');
      assert.ok(!out.text.includes('Zz9' + KEY_BODY[1]!.slice(3, 20)), out.text);
      assert.match(out.text, /withheld/);
    } finally {
      git(['checkout', '--', 'keys/inline.txt']);
    }
  });

  it('leaves base64 lines of a file that holds no key as they are', async () => {
    const data = 'QmFzZTY0IGRhdGEgb2YgYSB0ZXN0IGZpeHR1cmUsIG5vdCBhIGtleSBhdCBhbGwgMTIzNDU2Nzg5MA';
    write('src/fixture.ts', `export const data =\n${data}\n;\n`);
    const tools = createNodeTools({ symbolTools: false });
    const read = await runTool(tools, 'read_file', { path: 'src/fixture.ts', start_line: 2, end_line: 2 }, toolContext([root]));
    assert.match(read.text, new RegExp(data));
    assert.doesNotMatch(read.text, /withheld/i);
    const found = await runTool(tools, 'grep', { pattern: data.slice(0, 20), glob: 'src/**' }, toolContext([root]));
    assert.match(found.text, new RegExp(data));
    fs.rmSync(path.join(root, 'src/fixture.ts'));
  });

  it('git_show, git_diff and git_blame withhold them', async () => {
    const tools = createNodeTools({ symbolTools: false });
    for (const [name, args] of [
      ['git_show', { rev: 'HEAD' }],
      ['git_show', { rev: 'HEAD', path: 'docs/notes.txt' }],
      ['git_diff', {}],
      ['git_diff', { from: 'HEAD~1' }],
      ['git_blame', { path: 'docs/notes.txt' }],
    ] as const) {
      const out = await runTool(tools, name, args, toolContext([root]));
      assertClean(out, `${name} ${JSON.stringify(args)}`);
      assert.match(out.text, /withheld/, name);
    }
  });

  it('the symbol tools withhold them from the code they show', async () => {
    const tools = withSymbolTools();
    for (const [name, args] of [
      ['symbols', { query: 'deployToken' }],
      ['outline', { path: 'src/keys.ts' }],
      ['definition', { name_or_location: 'deployToken' }],
    ] as const) {
      const out = await runTool(tools, name, args, toolContext([root]));
      assertClean(out, name);
    }
  });

  it('sends none of them to the model endpoint', async () => {
    const asked = await askThroughModelServer(withSymbolTools(), [root], [
      'read_file("docs/notes.txt")',
      'grep("TOKEN")',
      'git_show("HEAD")',
      'git_diff()',
      'git_blame("docs/notes.txt")',
      'outline("src/keys.ts")',
    ]);
    assert.equal(asked.taskTexts.length, 6);
    for (const secret of SECRETS) assert.ok(!asked.sentToModel.includes(secret), secret.slice(0, 12));
    assert.ok(asked.sentToModel.includes('[withheld: a private key]'));
  });

  it('stays linear on text built to make a scanner backtrack', () => {
    const hostile = `${'-----BEGIN '.repeat(2_000)}${'ghp_'.repeat(5_000)}${'xoxb-1'.repeat(3_000)}${'A'.repeat(20_000)}`;
    const started = process.hrtime.bigint();
    const { text } = withholdSecrets(hostile);
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    assert.ok(text.length > 0);
    // Not a timing test: a backtracking scan takes minutes here, a linear one a fraction of a second.
    assert.ok(ms < 20_000, `${ms} ms`);
  });
});

describe('default-deny secret files', function () {
  this.timeout(30_000);
  let root: string;
  const GAPS = ['.envrc', '.dev.vars', '.my.cnf', 'infra/prod.tfvars', 'secrets.yaml', 'charts/secrets.prod.yaml', 'deploy_key', 'keys/id_rsa_github', 'keys/putty.ppk', 'keys/deploy_rsa', '.bash_history', 'keys/store.kdbx'];
  const READABLE = ['keys/id_rsa.pub', 'src/app.ts', 'settings.py', 'database.yml'];

  before(() => {
    root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'llmc-deny-')));
    for (const rel of [...GAPS, ...READABLE]) {
      fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
      fs.writeFileSync(path.join(root, rel), 'PASSWORD=hunter2\n');
    }
  });
  after(() => fs.rmSync(root, { recursive: true, force: true }));

  it('refuses the common secret files, naming the rule', async () => {
    const tools = createNodeTools({ symbolTools: false });
    for (const rel of GAPS) {
      const error = await rejectionOf(runTool(tools, 'read_file', { path: rel }, toolContext([root])));
      assert.ok(error instanceof CompilerError, `${rel}: ${String(error)}`);
      assert.equal(error.reason, 'protected-path', rel);
      assert.match(error.message, /matches the built-in secret rule `[^`]+`/, rel);
    }
    for (const rel of READABLE) assert.match((await runTool(tools, 'read_file', { path: rel }, toolContext([root]))).text, /hunter2/, rel);
  });

  it('answers as git check-ignore does with the built-in rules', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'llmc-deny-oracle-'));
    try {
      execFileSync('git', ['init', '-q'], { cwd: dir, env: isolatedGitEnv() });
      fs.writeFileSync(path.join(dir, '.gitignore'), SECRET_RULES.join('\n') + '\n');
      const paths = [...GAPS, ...READABLE, 'a/.dev.vars.production', 'id_ed25519_sk', 'id_ed25519.pub', 'x.tfvars.json', 'secrets.yaml.example', 'my_key', 'my_key.ts', 'a/.gem/credentials', '.cargo/credentials.toml', 'vpn/office.ovpn', 'app.pubxml.user', '.history/src/a.ts'];
      const out = execFileSync('git', ['check-ignore', '--no-index', '-v', '--non-matching', '--stdin'], { cwd: dir, env: isolatedGitEnv(), input: paths.join('\n'), encoding: 'utf8' });
      const policy = new ReadPolicy();
      for (const line of out.trim().split('\n')) {
        const [source, file] = line.split('\t');
        const pattern = source!.split(':').slice(2).join(':');
        assert.equal(policy.refusal(dir, file!) !== undefined, source !== '::' && !pattern.startsWith('!'), file);
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
