import assert from 'node:assert/strict';
import { DeployError } from '../../../src/core/errors';
import { approvalHtml, contentSecurityPolicy, createNonce } from '../../../src/vscode/approval/html';
import { decisionError, loadError } from '../../../src/vscode/approval/panelErrors';
import { utcTimestamp } from '../../../src/core/time';
import { absoluteTime, formatDuration, relativeTime, shortSha } from '../../../src/webview/format';

const resources = {
  cspSource: 'https://file+.vscode-resource.vscode-cdn.net',
  scriptUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/dist/webview/main.js',
  styleUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/dist/webview/main.css',
  codiconsUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/dist/codicons/codicon.css',
};

describe('approval panel HTML', () => {
  it('denies everything by default and allows scripts only with the nonce', () => {
    const csp = contentSecurityPolicy(resources.cspSource, 'abc');
    assert.match(csp, /^default-src 'none';/);
    assert.match(csp, /script-src 'nonce-abc'(;|$)/);
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval|\*/);
  });

  it('puts the same fresh nonce on the CSP and on the one script', () => {
    const html = approvalHtml(resources, 'spryker-prod');
    const nonce = /'nonce-([^']+)'/.exec(html)?.[1];
    assert.ok(nonce && nonce.length >= 22);
    const scripts = html.match(/<script[^>]*>/g) ?? [];
    assert.equal(scripts.length, 1);
    assert.ok(scripts[0].includes(`nonce="${nonce}"`) && scripts[0].includes(resources.scriptUri));
    assert.notEqual(createNonce(), createNonce());
  });

  it('escapes the environment name', () => {
    const name = 'x"><script>alert(1)</script>&';
    const html = approvalHtml(resources, name, 'n');
    // The name is there, escaped, where it is used; nowhere as markup.
    assert.ok(html.includes('x&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;&amp;'), html);
    assert.ok(!html.includes(name), 'the raw name is in the page');
    assert.ok(!html.includes('alert(1)</script>'), 'the name closed a tag');
  });
});

describe('approval panel error wording', () => {
  it('tells the user for each failure whether the decision was sent and what helps', () => {
    assert.deepEqual(
      [decisionError(new DeployError('stale-approval', 'x')).kind, decisionError(new DeployError('stale-approval', 'x')).action],
      ['stale', 'refresh'],
    );
    assert.match(decisionError(new DeployError('stale-approval', 'x')).message, /replaced or decided.*nothing was sent.*Refresh/);
    assert.equal(decisionError(new DeployError('approval-already-decided', 'x')).kind, 'already-decided');
    const network = decisionError(new DeployError('network', 'socket hang up'));
    assert.equal(network.action, 'retry');
    assert.match(network.message, /not sent.*retry/i);
    assert.match(decisionError(new DeployError('credentials-expired', 'x', { profile: 'prod-sso' })).message, /prod-sso.*not sent.*Sign in/);
    assert.equal(decisionError(new Error('boom')).kind, 'other');
    assert.equal(loadError(new DeployError('network', 'down')).kind, 'network');
  });
});

describe('webview formatting', () => {
  const now = Date.UTC(2026, 10, 26, 12, 0, 0);
  it('formats relative times and durations', () => {
    // The panel uses the product's one wording (core/time), the same as the tree's.
    assert.equal(relativeTime(new Date(now - 5 * 60_000).toISOString(), now), '5 min ago');
    assert.equal(relativeTime(new Date(now - 10_000).toISOString(), now), 'just now');
    assert.equal(relativeTime('not a date', now), '');
    assert.equal(formatDuration(42_000), '42s');
    assert.equal(formatDuration(187_000), '3m 07s');
    assert.equal(formatDuration(3_720_000), '1h 02m');
    assert.equal(formatDuration(-1), '');
    assert.equal(shortSha('a'.repeat(40)), 'aaaaaaa');
    assert.equal(shortSha('latest'), 'latest');
  });

  it('writes the absolute time next to a relative one in the product\'s one UTC form, whatever the machine\'s zone', () => {
    const at = new Date(now - 5 * 60_000).toISOString();
    assert.equal(absoluteTime(at), '2026-11-26 11:55 UTC');
    assert.equal(absoluteTime(at), utcTimestamp(at), 'the panel and the tree write a time the same way');
    assert.equal(absoluteTime(undefined), '');
    assert.equal(absoluteTime('not a date'), '');
  });
});
