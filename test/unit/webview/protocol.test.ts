import assert from 'node:assert/strict';
import { MAX_COMMENT_LENGTH, describeInvalidMessage, parsePersistedState, parseWebviewMessage } from '../../../src/webview/protocol';

const SHA = 'a'.repeat(40);
const TOKEN = '3f1c2b9e-0d7a-4c51-9a0e-2f6b8c1d4e7a';

describe('webview protocol: parseWebviewMessage', () => {
  it('accepts every valid message type, returning a copy with only the known fields', () => {
    assert.deepEqual(parseWebviewMessage({ type: 'ready' }), { type: 'ready' });
    assert.deepEqual(parseWebviewMessage({ type: 'fetch' }), { type: 'fetch' });
    assert.deepEqual(parseWebviewMessage({ type: 'fetch', full: true }), { type: 'fetch', full: true });
    assert.deepEqual(parseWebviewMessage({ type: 'refresh' }), { type: 'refresh' });
    assert.deepEqual(parseWebviewMessage({ type: 'showLog' }), { type: 'showLog' });
    assert.deepEqual(parseWebviewMessage({ type: 'approve', comment: 'ship it', token: TOKEN, action: 'Approval' }), { type: 'approve', comment: 'ship it', token: TOKEN, action: 'Approval' });
    assert.deepEqual(parseWebviewMessage({ type: 'reject', comment: '', token: TOKEN, action: 'QA_Approval' }), { type: 'reject', comment: '', token: TOKEN, action: 'QA_Approval' });
    assert.deepEqual(parseWebviewMessage({ type: 'openCommit', sha: SHA }), { type: 'openCommit', sha: SHA });
  });

  it('accepts a comment of exactly the AWS limit and refuses one character more', () => {
    const max = 'x'.repeat(MAX_COMMENT_LENGTH);
    assert.equal(MAX_COMMENT_LENGTH, 512);
    assert.ok(parseWebviewMessage({ type: 'approve', comment: max, token: TOKEN, action: 'Approval' }));
    assert.equal(parseWebviewMessage({ type: 'approve', comment: max + 'x', token: TOKEN, action: 'Approval' }), undefined);
    assert.equal(parseWebviewMessage({ type: 'reject', comment: max + 'x', token: TOKEN, action: 'Approval' }), undefined);
  });

  const invalid: [string, unknown][] = [
    ['undefined', undefined],
    ['null', null],
    ['a string', 'approve'],
    ['an array', [{ type: 'ready' }]],
    ['no type', { comment: 'x', token: TOKEN }],
    ['a numeric type', { type: 1 }],
    ['an unknown type', { type: 'deploy' }],
    ['a type in other case', { type: 'Approve', comment: '', token: TOKEN }],
    ['ready with an extra field', { type: 'ready', env: 'x' }],
    ['refresh with an extra field', { type: 'refresh', force: true }],
    ['fetch with an extra field', { type: 'fetch', remote: 'origin' }],
    ['showLog naming a build (the host picks the failed one)', { type: 'showLog', buildId: 'x:1' }],
    ['fetch with full not true', { type: 'fetch', full: 'yes' }],
    ['approve without a token', { type: 'approve', comment: 'x' }],
    ['approve without a comment', { type: 'approve', token: TOKEN }],
    ['approve with a numeric comment', { type: 'approve', comment: 5, token: TOKEN, action: 'Approval' }],
    ['approve with a null comment', { type: 'approve', comment: null, token: TOKEN, action: 'Approval' }],
    ['approve with an empty token', { type: 'approve', comment: '', token: '', action: 'Approval' }],
    ['approve with a token holding markup', { type: 'approve', comment: '', token: '<script>', action: 'Approval' }],
    ['approve with a token holding spaces', { type: 'approve', comment: '', token: 'a b', action: 'Approval' }],
    ['approve with an over-long token', { type: 'approve', comment: '', token: 'a'.repeat(129), action: 'Approval' }],
    ['approve with a numeric token', { type: 'approve', comment: '', token: 42, action: 'Approval' }],
    ['approve with an extra field', { type: 'approve', comment: '', token: TOKEN, action: 'Approval', decision: 'Rejected' }],
    ['reject with a token object', { type: 'reject', comment: '', token: { id: TOKEN }, action: 'Approval' }],
    ['approve without the action (which of several approvals)', { type: 'approve', comment: '', token: TOKEN }],
    ['approve with an empty action', { type: 'approve', comment: '', token: TOKEN, action: '' }],
    ['approve with an action holding markup', { type: 'approve', comment: '', token: TOKEN, action: '<img src=x>' }],
    ['approve with an action holding spaces', { type: 'approve', comment: '', token: TOKEN, action: 'QA Approval' }],
    ['approve with an over-long action (CodePipeline allows 100)', { type: 'approve', comment: '', token: TOKEN, action: 'a'.repeat(101) }],
    ['reject with a numeric action', { type: 'reject', comment: '', token: TOKEN, action: 7 }],
    ['openCommit without a sha', { type: 'openCommit' }],
    ['openCommit with a short sha', { type: 'openCommit', sha: 'abc1234' }],
    ['openCommit with 41 hex', { type: 'openCommit', sha: SHA + 'a' }],
    ['openCommit with uppercase hex', { type: 'openCommit', sha: 'A'.repeat(40) }],
    ['openCommit with a non-hex sha', { type: 'openCommit', sha: 'g'.repeat(40) }],
    ['openCommit with a ref name', { type: 'openCommit', sha: 'HEAD' }],
    ['openCommit with an option-like sha', { type: 'openCommit', sha: '--output=/tmp/x' }],
    ['openCommit with an extra field', { type: 'openCommit', sha: SHA, path: '/etc/passwd' }],
  ];
  for (const [name, message] of invalid) {
    it(`refuses ${name}`, () => assert.equal(parseWebviewMessage(message), undefined));
  }

  it('does not let a prototype-polluting key through', () => {
    const message = JSON.parse(`{"type":"ready","__proto__":{"x":1}}`) as unknown;
    assert.equal(parseWebviewMessage(message), undefined);
  });

  it('describes an invalid message for the log without echoing its content', () => {
    const described = describeInvalidMessage({ type: 'approve', comment: 'secret words', token: 'x' });
    assert.match(described, /type="approve"/);
    assert.doesNotMatch(described, /secret/);
    assert.match(describeInvalidMessage(null), /null/);
  });
});

describe('webview protocol: parsePersistedState', () => {
  it('restores an environment name and a comment', () => {
    assert.deepEqual(parsePersistedState({ env: 'spryker-prod', comment: 'half typed' }), { env: 'spryker-prod', comment: 'half typed' });
    assert.deepEqual(parsePersistedState({ env: 'spryker-staging' }), { env: 'spryker-staging' });
  });

  it('drops an over-long comment but keeps the environment', () => {
    assert.deepEqual(parsePersistedState({ env: 'spryker-prod', comment: 'x'.repeat(513) }), { env: 'spryker-prod' });
  });

  it('refuses a state without a usable environment name', () => {
    for (const state of [undefined, null, {}, { env: '' }, { env: 5 }, { env: '../etc' }, { env: 'a b' }, { env: 'x'.repeat(129) }]) {
      assert.equal(parsePersistedState(state), undefined, JSON.stringify(state));
    }
  });
});
