import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { findRipgrep, ripgrepCandidates } from '../../../../src/tools/search/ripgrepPath';
import { skipBecause } from '../../../support/skips';

const exe = process.platform === 'win32' ? 'rg.exe' : 'rg';

function makeExecutable(file: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, '#!/bin/sh\n');
  fs.chmodSync(file, 0o755);
}

describe('ripgrep location', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'llmc-rg-')));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('lists VS Code\'s bundled ripgrep locations in order', () => {
    const app = path.join('/opt', 'vscode', 'resources', 'app');
    assert.deepEqual(ripgrepCandidates(app), [
      path.join(app, 'node_modules', '@vscode', 'ripgrep-universal', 'bin', `${process.platform}-${process.arch}`, exe),
      path.join(app, 'node_modules', '@vscode', 'ripgrep', 'bin', exe),
      path.join(app, 'node_modules.asar.unpacked', '@vscode', 'ripgrep', 'bin', exe),
    ]);
  });

  it('prefers an explicit path, then the first bundled candidate that exists, then PATH', () => {
    const explicit = path.join(dir, 'custom', exe);
    const [universal, plain, unpacked] = ripgrepCandidates(path.join(dir, 'app'));
    const onPath = path.join(dir, 'bin', exe);
    makeExecutable(unpacked);
    makeExecutable(onPath);
    const pathEnv = path.join(dir, 'bin');
    assert.equal(findRipgrep({ appRoot: path.join(dir, 'app'), pathEnv }), unpacked);
    makeExecutable(plain);
    assert.equal(findRipgrep({ appRoot: path.join(dir, 'app'), pathEnv }), plain);
    makeExecutable(universal);
    assert.equal(findRipgrep({ appRoot: path.join(dir, 'app'), pathEnv }), universal);
    makeExecutable(explicit);
    assert.equal(findRipgrep({ ripgrepPath: explicit, appRoot: path.join(dir, 'app'), pathEnv }), explicit);
    assert.equal(findRipgrep({ pathEnv }), onPath);
  });

  it('skips files that are not executable, and folders', function () {
    if (process.platform === 'win32') skipBecause(this, 'Windows has no executable bit');
    const notExecutable = path.join(dir, 'bin', exe);
    fs.mkdirSync(path.dirname(notExecutable));
    fs.writeFileSync(notExecutable, '');
    fs.mkdirSync(path.join(dir, 'folder', exe), { recursive: true });
    assert.equal(findRipgrep({ pathEnv: [path.join(dir, 'folder'), path.join(dir, 'bin')].join(path.delimiter) }), undefined);
  });

  it('gives undefined when there is no ripgrep at all, which selects the JavaScript fallback', () => {
    assert.equal(findRipgrep({ ripgrepPath: path.join(dir, 'missing'), appRoot: path.join(dir, 'app'), pathEnv: '' }), undefined);
  });
});
