// The manifest's configuration schema (what VS Code validates and completes in settings.json) and the code that
// reads the settings state the same rules: names, regions, keys, polling bounds.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { ENVIRONMENT_NAME_PATTERN, ENVIRONMENT_SETTING_KEYS, REGION_PATTERN, resolveEnvironment } from '../../../src/core/environments';
import { SANDBOX_ENVIRONMENT_NAME } from '../../../src/sandbox/cli';
import { POLLING_SETTINGS } from '../../../src/vscode/store/pollPolicy';

interface Schema {
  readonly type?: string;
  readonly pattern?: string;
  readonly default?: unknown;
  readonly minimum?: number;
  readonly maximum?: number;
  readonly properties?: Record<string, Schema>;
  readonly items?: Schema;
}

const manifest = JSON.parse(readFileSync(path.resolve(__dirname, '../../../package.json'), 'utf8')) as { contributes: { configuration: { properties: Record<string, Schema> } } };
const settings = manifest.contributes.configuration.properties;
const environment = settings['sprykerDeploy.environments'].items as Schema;

describe('settings schema (package.json) and the code agree', () => {
  it('on the environment name pattern', () => {
    assert.equal(environment.properties?.name.pattern, ENVIRONMENT_NAME_PATTERN);
  });

  it('on the region pattern, for an environment and for sprykerDeploy.defaultRegion (which may also be empty)', () => {
    assert.equal(environment.properties?.region.pattern, REGION_PATTERN);
    assert.equal(settings['sprykerDeploy.defaultRegion'].pattern, `^$|${REGION_PATTERN}`);
  });

  it('on the keys and sub-keys an environment may have', () => {
    const manifestKeys = Object.fromEntries(Object.entries(environment.properties ?? {}).map(([k, v]) => [k, v.type === 'object' ? Object.keys(v.properties ?? {}).sort() : true]));
    const codeKeys = Object.fromEntries(Object.entries(ENVIRONMENT_SETTING_KEYS).map(([k, v]) => [k, v === true ? true : [...v].sort()]));
    assert.deepEqual(manifestKeys, codeKeys);
  });

  it('on the polling defaults and bounds', () => {
    for (const [key, rule] of Object.entries(POLLING_SETTINGS)) {
      const declared = settings[`sprykerDeploy.polling.${key}`];
      assert.deepEqual({ default: declared.default, minimum: declared.minimum, maximum: declared.maximum }, rule, key);
    }
  });

  it('a name the schema accepts the code accepts, and one it refuses the code refuses', () => {
    const pattern = new RegExp(ENVIRONMENT_NAME_PATTERN);
    for (const name of ['spryker-prod', 'a', 'Shop_1.eu', '-bad', 'bad name', 'x'.repeat(129)]) {
      let accepted = true;
      try {
        resolveEnvironment({ name });
      } catch {
        accepted = false;
      }
      assert.equal(accepted, pattern.test(name), name);
    }
  });

  it('every environment name the sandbox can build a world for is one the settings accept (the sandbox\'s rule is narrower, for AWS\'s names)', () => {
    const settingsName = new RegExp(ENVIRONMENT_NAME_PATTERN);
    // Every character the sandbox allows, first and later, at its shortest and longest.
    const first = 'abcdefghijklmnopqrstuvwxyz0123456789';
    const later = `${first}-`;
    const names = [...first].flatMap((c) => [c, `${c}${later}`, `${c}${'-'.repeat(40)}`, `${c}${later.repeat(2).slice(0, 40)}`]);
    for (const name of names) {
      if (SANDBOX_ENVIRONMENT_NAME.test(name)) assert.ok(settingsName.test(name), `the sandbox takes ${name}, the settings refuse it`);
    }
    assert.ok(names.filter((n) => SANDBOX_ENVIRONMENT_NAME.test(n)).length >= first.length * 3, 'the names tried are ones the sandbox takes');
    for (const refused of ['Spryker-Prod', 'shop.eu', 'shop_eu', '-shop', 'x'.repeat(42)]) assert.ok(!SANDBOX_ENVIRONMENT_NAME.test(refused), refused);
  });
});
