import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

describe('the unit suite without ripgrep', () => {
  let dir: string;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'llmc-no-rg-'));
    // A PATH with node and nothing else: no rg.
    fs.mkdirSync(path.join(dir, 'bin'));
    fs.symlinkSync(process.execPath, path.join(dir, 'bin', path.basename(process.execPath)));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('ends with a banner counting the ripgrep tests it skipped and how to install ripgrep', async function () {
    if (process.platform === 'win32') this.skip();
    this.timeout(120_000);
    const config = path.join(dir, 'mocharc.json');
    const settings = JSON.parse(fs.readFileSync('.mocharc.json', 'utf8')) as Record<string, unknown>;
    fs.writeFileSync(config, JSON.stringify({ ...settings, spec: ['test/unit/tools/search/hostileGlobs.test.ts'], reporter: 'dot' }));
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
    // hostileGlobs: the comparison with raw ripgrep under both backends, and two more checks on the ripgrep backend.
    assert.equal(Number(banner[1]), 4, out);
    assert.match(out, /apt-get install ripgrep/);
  });
});
