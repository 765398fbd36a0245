import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { skipBecause } from '../../support/skips';

describe('the unit suite without ripgrep', () => {
  let dir: string;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'llmc-no-rg-'));
    // This PATH without rg: node, and every program of PATH but ripgrep.
    const bin = path.join(dir, 'bin');
    fs.mkdirSync(bin);
    fs.symlinkSync(process.execPath, path.join(bin, path.basename(process.execPath)));
    for (const folder of (process.env.PATH ?? '').split(path.delimiter).filter(Boolean)) {
      for (const name of fs.existsSync(folder) ? fs.readdirSync(folder) : []) {
        if (name !== 'rg' && !fs.existsSync(path.join(bin, name))) fs.symlinkSync(path.join(folder, name), path.join(bin, name));
      }
    }
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('ends with a banner counting the ripgrep tests it skipped and how to install ripgrep', async function () {
    if (process.platform === 'win32') skipBecause(this, 'the run without ripgrep is made with a POSIX PATH of symbolic links');
    this.timeout(120_000);
    const config = path.join(dir, 'mocharc.json');
    const settings = JSON.parse(fs.readFileSync('.mocharc.json', 'utf8')) as Record<string, unknown>;
    fs.writeFileSync(config, JSON.stringify({ ...settings, spec: ['test/unit/tools/search/hostileGlobs.test.ts', 'test/unit/tools/childProcess.test.ts'], reporter: 'dot' }));
    const child = spawn(process.execPath, [path.resolve('node_modules/mocha/bin/mocha.js'), '--config', config], {
      env: { ...process.env, PATH: path.join(dir, 'bin') },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (out += c.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    assert.equal(code, 0, out);
    const banner = /(\d+) ripgrep tests were SKIPPED: ripgrep \(rg\) is not installed/.exec(out);
    assert.ok(banner, out);
    // hostileGlobs: the comparison with raw ripgrep under both backends, and two more checks on the ripgrep backend;
    // childProcess: the two tests that watch ripgrep run.
    assert.equal(Number(banner[1]), 6, out);
    // Every test mocha skipped is counted, and none was skipped for another reason.
    assert.equal(Number(/(\d+) pending/.exec(out)?.[1]), 6, out);
    assert.doesNotMatch(out, /tests? (was|were) SKIPPED: (?!ripgrep)/, out);
    assert.match(out, /apt-get install ripgrep/);
  });
});
