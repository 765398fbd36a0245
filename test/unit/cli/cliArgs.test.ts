import assert from 'node:assert/strict';
import { USAGE, parseCli } from '../../../src/bin/commandLine';
import { DEFAULT_BASE_URL } from '../../../src/providers/openaiClient';

const parse = (argv: string[], env: NodeJS.ProcessEnv = {}) => parseCli(argv, env, '/work');

describe('CLI arguments', () => {
  it('reads a question with every option', () => {
    const command = parse(
      ['ask', 'where is', 'main?', '--cwd', '/repo', '--mode', 'react', '--base-url', 'http://127.0.0.1:9/v1', '--model', 'm', '--max-concurrency', '4', '--max-rounds', '2', '--timeout', '5000', '--warm-prompt-cache', 'off', '--json'],
      { OPENAI_API_KEY: 'sk-test' },
    );
    assert.equal(command.kind, 'ask');
    assert.ok(command.kind === 'ask');
    assert.deepEqual(command.options, {
      question: 'where is main?',
      cwd: '/repo',
      mode: 'react',
      baseURL: 'http://127.0.0.1:9/v1',
      baseURLSource: '--base-url',
      model: 'm',
      apiKey: 'sk-test',
      readAhead: 'off',
      json: true,
      maxConcurrency: 4,
      maxRounds: 2,
      timeoutMs: 5000,
    });
  });

  it('takes --mcp-config and --allow-tool, each repeatable, for ask and mcp', () => {
    for (const command of ['ask', 'mcp']) {
      const words = command === 'ask' ? ['ask', 'q'] : ['mcp'];
      const parsed = parse([...words, '--mcp-config', 'a.json', '--mcp-config', '.vscode/mcp.json', '--allow-tool', 'fs_write_file', '--allow-tool', 'github_*']);
      assert.ok(parsed.kind === 'ask' || parsed.kind === 'mcp', JSON.stringify(parsed));
      assert.deepEqual(parsed.options.mcpConfigs, ['a.json', '.vscode/mcp.json']);
      assert.deepEqual(parsed.options.allowTools, ['fs_write_file', 'github_*']);
    }
    const plain = parse(['ask', 'q']);
    assert.ok(plain.kind === 'ask' && plain.options.mcpConfigs === undefined, 'no server unless named');
    const alone = parse(['ask', 'q', '--allow-tool', 'x']);
    assert.ok(alone.kind === 'usage-error');
    assert.match(alone.message, /--allow-tool offers tools of MCP servers: name their configuration with --mcp-config FILE/);
    const bad = parse(['ask', 'q', '--mcp-config', 'a.json', '--allow-tool', 'fs/write']);
    assert.ok(bad.kind === 'usage-error');
    assert.match(bad.message, /--allow-tool takes a tool name as plans write it/);
    assert.match(USAGE, /--mcp-config FILE/);
    assert.match(USAGE, /--allow-tool NAME/);
  });

  it('takes the base URL from --base-url, then OPENAI_BASE_URL, then Ollama', () => {
    const env = { OPENAI_BASE_URL: 'http://127.0.0.1:1234/v1' };
    const flag = parse(['ask', 'q', '--base-url', 'http://127.0.0.1:5/v1'], env);
    const fromEnv = parse(['ask', 'q'], env);
    const fallback = parse(['ask', 'q']);
    assert.ok(flag.kind === 'ask' && fromEnv.kind === 'ask' && fallback.kind === 'ask');
    assert.equal(flag.options.baseURL, 'http://127.0.0.1:5/v1');
    assert.equal(fromEnv.options.baseURL, 'http://127.0.0.1:1234/v1');
    assert.equal(fromEnv.options.baseURLSource, 'OPENAI_BASE_URL');
    assert.equal(fallback.options.baseURL, DEFAULT_BASE_URL);
    assert.equal(fallback.options.cwd, '/work');
    assert.equal(fallback.options.mode, 'compiler');
    assert.equal(fallback.options.apiKey, undefined);
  });

  it('reads mcp with the model and run options of ask', () => {
    const command = parse(['mcp', '--cwd', '/repo', '--mode', 'react', '--model', 'm', '--timeout', '9000'], { OPENAI_BASE_URL: 'http://127.0.0.1:7/v1', OPENAI_API_KEY: 'sk-test' });
    assert.deepEqual(command, {
      kind: 'mcp',
      options: { cwd: '/repo', mode: 'react', baseURL: 'http://127.0.0.1:7/v1', baseURLSource: 'OPENAI_BASE_URL', model: 'm', apiKey: 'sk-test', readAhead: 'auto', timeoutMs: 9000 },
    });
  });

  it('reads --list-protected-files for ask and mcp, off unless given', () => {
    const ask = parse(['ask', 'which env files are there?', '--list-protected-files']);
    assert.equal(ask.kind === 'ask' && ask.options.listProtectedFiles, true);
    const mcp = parse(['mcp', '--list-protected-files']);
    assert.equal(mcp.kind === 'mcp' && mcp.options.listProtectedFiles, true);
    const plain = parse(['ask', 'q']);
    assert.equal(plain.kind === 'ask' && plain.options.listProtectedFiles, undefined);
    assert.match(USAGE, /--list-protected-files/);
  });

  it("reads --context-tokens, which overrides the model's context its server says, and --verbose", () => {
    const command = parse(['ask', 'q', '--context-tokens', '4096', '--verbose']);
    assert.ok(command.kind === 'ask');
    assert.equal(command.options.contextTokens, 4096);
    assert.equal(command.options.verbose, true);
    assert.match(USAGE, /--context-tokens N/);
    assert.equal(parse(['ask', 'q', '--context-tokens', '0']).kind, 'usage-error');
    assert.equal(parse(['ask', 'q', '--context-tokens', '4k']).kind, 'usage-error');
  });

  it('answers --help and --version before anything else', () => {
    assert.deepEqual(parse(['--help']), { kind: 'help' });
    assert.deepEqual(parse(['ask', '-v']), { kind: 'version' });
  });

  for (const [name, argv] of [
    ['no command', []],
    ['an unknown command', ['explain', 'x']],
    ['no question', ['ask']],
    ['an unknown mode', ['ask', 'q', '--mode', 'fast']],
    ['an unknown option', ['ask', 'q', '--verbosity']],
    ['a missing option value', ['ask', 'q', '--cwd']],
    ['a concurrency of 0', ['ask', 'q', '--max-concurrency', '0']],
    ['a non-numeric timeout', ['ask', 'q', '--timeout', '5s']],
    ['a base URL that is not http', ['ask', 'q', '--base-url', 'localhost:11434']],
    ['a question for mcp', ['mcp', 'where is main?']],
    ['--json for mcp', ['mcp', '--json']],
    ['an unknown mode for mcp', ['mcp', '--mode', 'fast']],
    ['an unknown read-ahead choice', ['ask', 'q', '--warm-prompt-cache', 'yes']],
  ] as const) {
    it(`is a usage error with ${name}`, () => {
      const command = parse([...argv]);
      assert.equal(command.kind, 'usage-error');
      assert.ok(command.kind === 'usage-error' && command.message.length > 0);
    });
  }

  for (const flag of ['--max-concurrency', '--max-rounds', '--max-turns', '--timeout']) {
    it(`words every mistake in ${flag} itself, on one line, negative numbers included`, () => {
      for (const written of [[flag, '-5'], [`${flag}=-5`], [flag, '0'], [flag, '1.5'], [flag, 'lots'], [flag, ' ']]) {
        const value = written.length === 2 ? written[1] : '-5';
        assert.deepEqual(parse(['ask', 'q', ...written]), { kind: 'usage-error', message: `${flag} must be a whole number of at least 1; got "${value}"` }, written.join(' '));
      }
      assert.deepEqual(parse(['ask', 'q', flag]), { kind: 'usage-error', message: `${flag} needs a value` });
    });
  }

  it('words unknown options, missing values and values given to switches itself, on one line', () => {
    const message = (argv: string[]) => {
      const command = parse(argv);
      assert.equal(command.kind, 'usage-error', argv.join(' '));
      return command.kind === 'usage-error' ? command.message : '';
    };
    assert.equal(message(['ask', 'q', '--tiemout', '5']), 'unknown option --tiemout; did you mean --timeout?');
    assert.equal(message(['ask', 'q', '-x']), 'unknown option -x');
    assert.equal(message(['ask', 'q', '--cwd']), '--cwd needs a value');
    assert.equal(message(['ask', 'q', '--cwd', '--json']), '--cwd needs a value; got the option --json (write --cwd=--json if that is the value)');
    assert.equal(message(['ask', 'q', '--json=yes']), '--json takes no value; got "yes"');
    assert.equal(message(['mcp', '--verbose']), '--verbose is for ask; mcp logs to stderr');
    for (const argv of [['ask', 'q', '--tiemout', '5'], ['ask', 'q', '--timeout', '-5'], ['ask', 'q', '--cwd']]) {
      assert.doesNotMatch(message(argv), /\n|ambiguous|ERR_PARSE_ARGS|To specify/, argv.join(' '));
    }
  });

  it('reads --verbose for ask, and leaves the model unnamed unless --model or OPENAI_MODEL names it', () => {
    const verbose = parse(['ask', 'q', '--verbose']);
    assert.ok(verbose.kind === 'ask');
    assert.equal(verbose.options.verbose, true);
    assert.equal(verbose.options.model, undefined);
    const fromEnv = parse(['ask', 'q'], { OPENAI_MODEL: 'qwen2.5-coder:7b' });
    assert.ok(fromEnv.kind === 'ask');
    assert.equal(fromEnv.options.model, 'qwen2.5-coder:7b');
    assert.doesNotMatch(USAGE, /llama3\.1/);
  });
});
