import * as assert from 'node:assert/strict';
import { ParameterNotFound } from '@aws-sdk/client-ssm';
import { InvalidApprovalTokenException, ApprovalAlreadyCompletedException } from '@aws-sdk/client-codepipeline';
import { translateAwsError } from '../../../src/aws/errors';

const ctx = { service: 'ssm', operation: 'GetParameters', profile: 'acme-prod' };
const sdkError = (name: string, message = 'boom') => Object.assign(new Error(message), { name, $metadata: { httpStatusCode: 400 } });

describe('aws error translation', () => {
  const cases: [string, unknown, string][] = [
    ['ExpiredTokenException', sdkError('ExpiredTokenException'), 'credentials-expired'],
    ['ExpiredToken', sdkError('ExpiredToken'), 'credentials-expired'],
    ['TokenRefreshRequired', sdkError('TokenRefreshRequired'), 'credentials-expired'],
    ['SSO expiry', Object.assign(new Error('The SSO session associated with this profile has expired or is otherwise invalid. To refresh this SSO session run aws sso login'), { name: 'CredentialsProviderError' }), 'credentials-expired'],
    ['no credentials', Object.assign(new Error('Could not load credentials from any providers'), { name: 'CredentialsProviderError' }), 'not-signed-in'],
    ['AccessDeniedException', sdkError('AccessDeniedException'), 'access-denied'],
    ['AccessDenied', sdkError('AccessDenied'), 'access-denied'],
    ['ThrottlingException', sdkError('ThrottlingException'), 'throttled'],
    ['Throttling', sdkError('Throttling'), 'throttled'],
    ['ParameterNotFound (modeled class)', new ParameterNotFound({ message: 'nope', $metadata: {} }), 'not-found'],
    ['PipelineNotFoundException', sdkError('PipelineNotFoundException'), 'not-found'],
    ['InvalidApprovalTokenException', new InvalidApprovalTokenException({ message: 'x', $metadata: {} }), 'stale-approval'],
    ['ApprovalAlreadyCompletedException', new ApprovalAlreadyCompletedException({ message: 'x', $metadata: {} }), 'approval-already-decided'],
    ['ECONNREFUSED', Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' }), 'network'],
    ['socket hang up', Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }), 'network'],
    ['other service error', sdkError('ValidationException'), 'aws'],
    ['plain error', new Error('weird'), 'unknown'],
  ];
  for (const [what, error, kind] of cases) {
    it(`${what} → ${kind}`, () => {
      const translated = translateAwsError(error, ctx);
      assert.equal(translated.kind, kind);
      assert.equal(translated.details.operation, 'GetParameters');
    });
  }

  it('an HTML page from a proxy: which call, the HTTP status, not from AWS, one line', () => {
    // What the SDK throws when the body is not JSON: the parser's SyntaxError, the raw response hidden on it.
    const error = Object.assign(new SyntaxError(`Unexpected token '<', "<html>\r\n<h"... is not valid JSON\n  Deserialization error: to see the raw response, inspect the hidden field {error}.$response on this object.`), {
      $metadata: { httpStatusCode: 502 },
      $response: { statusCode: 502, headers: { 'content-type': 'text/html; charset=utf-8' } },
    });
    const translated = translateAwsError(error, ctx);
    assert.equal(translated.kind, 'network');
    assert.equal(translated.details.awsCode, 'NonAwsResponse');
    assert.equal(translated.message, 'ssm GetParameters failed: HTTP 502 with a text/html body that did not come from AWS (a proxy, gateway or load balancer on the way answered); try again, or check the network path to AWS.');
  });

  it('says how to sign in, naming the profile', () => {
    const e = translateAwsError(sdkError('ExpiredTokenException'), ctx);
    assert.match(e.message, /profile "acme-prod"/);
    assert.match(e.message, /aws sso login --profile acme-prod/);
    assert.equal(e.details.profile, 'acme-prod');
    assert.equal(e.details.awsCode, 'ExpiredTokenException');
  });
});
