// The sandbox's own command line (node:util parseArgs): every malformed flag is one clear sentence, nothing started.
import * as assert from 'node:assert/strict';
import { parseArgs, SandboxUsageError } from '../../../src/sandbox/cli';

describe('sandbox CLI options', () => {
  function refused(args: string[]): string {
    try {
      parseArgs(args);
    } catch (e) {
      assert.ok(e instanceof SandboxUsageError, `a usage error, got ${String(e)}`);
      return e.message;
    }
    assert.fail(`${args.join(' ')} was accepted`);
  }

  it('names an unknown option, long or short', () => {
    assert.equal(refused(['--prot', '4566']), 'Unknown option --prot.');
    assert.equal(refused(['-x']), 'Unknown option -x.');
  });

  it('says which option lacks its value, also when the next argument is another option', () => {
    assert.equal(refused(['--port']), '--port needs a value.');
    assert.match(refused(['--state', '--port', '1']), /^--state needs a value \(the next argument is an option/);
  });

  it('refuses a value for a switch, a stray argument and malformed numbers', () => {
    assert.equal(refused(['--help=yes']), '--help takes no value.');
    assert.equal(refused(['4566']), "Unexpected argument '4566': every option starts with --.");
    assert.equal(refused(['--port', 'abc']), "--port takes a number, not 'abc'.");
    assert.equal(refused(['--port=70000']), '--port takes 0..65535.');
    assert.equal(refused(['--stage-seconds', '0']), '--stage-seconds takes a number above 0 and at most 3600.');
    assert.match(refused(['--fault', 'nope']), /^Unknown fault 'nope'/);
  });

  it('parses repeated and inline options', () => {
    const o = parseArgs(['--port=0', '--fault', 'throttle:0.2', '--fault=latency:50', '--envs', 'a,b', '--seed', '3', '--state', 's.json']);
    assert.equal(o.port, 0);
    assert.deepEqual(o.faults, [{ kind: 'throttle', rate: 0.2 }, { kind: 'latency', ms: 50 }]);
    assert.deepEqual(o.environments, ['a', 'b']);
    assert.equal(o.seed, 3);
    assert.equal(o.stateFile, 's.json');
    assert.deepEqual(parseArgs(['-h']), { help: true });
  });
});
