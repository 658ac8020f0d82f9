import * as assert from 'node:assert/strict';
import { composerLock } from '../../../scripts/harness/sprykerShop';
import type { ChangedFile, CommitInfo } from '../../../src/core/git';
import {
  assessChange,
  assessRisk,
  compareModuleVersions,
  configEnvironment,
  globToRegExp,
  parseComposerLock,
  resolveRiskRules,
  riskLine,
  rollbackSchemaWarning,
  schemaFiles,
} from '../../../src/core/risk';

const modified = (...paths: string[]): ChangedFile[] => paths.map((path) => ({ path, status: 'modified' as const }));
const SCHEMA = 'src/Pyz/Zed/Sales/Persistence/Propel/Schema/spy_sales.schema.xml';

describe('risk rules', () => {
  it('finds nothing risky in plain code changes and says so with no line', () => {
    const summary = assessRisk({ files: modified('src/Pyz/Yves/SearchPage/Facets.php', 'README.md', 'package.json') });
    assert.deepEqual(summary.categories, []);
    assert.equal(riskLine(summary), undefined);
  });

  it('recognises a Propel schema file and a migration as a database schema change', () => {
    const summary = assessRisk({ files: [...modified(SCHEMA), { path: 'src/Orm/Propel/Migration_pgsql/Version20251001.php', status: 'added' }] });
    assert.deepEqual(schemaFiles(summary), [SCHEMA, 'src/Orm/Propel/Migration_pgsql/Version20251001.php']);
    assert.match(riskLine(summary) ?? '', /^Risk: database schema \(2 files\)\.$/);
  });

  it('does not take a schema file outside Persistence/Propel/Schema for one', () => {
    assert.deepEqual(assessRisk({ files: modified('src/Pyz/Zed/Sales/Business/spy_sales.schema.xml', 'docs/schema.xml') }).categories, []);
  });

  it('sorts deploy files, per-environment config, env files, cron jobs, data import, Glue schema and queue config into their categories', () => {
    const summary = assessRisk({
      files: modified(
        'deploy.yml',
        'deploy.prod.yml',
        'config/Shared/config_default.php',
        'config/Shared/config_production.php',
        '.env',
        'docker/.env.local',
        'config/Zed/cronjobs/jenkins.php',
        'data/import/common/common/glossary.csv',
        'src/Pyz/Glue/WishlistsRestApi/Schema/wishlists.schema.yml',
        'src/Pyz/Client/RabbitMq/RabbitMqConfig.php',
      ),
    });
    const byId = Object.fromEntries(summary.categories.map((c) => [c.id, c]));
    assert.deepEqual(byId.deploy.files, ['deploy.yml', 'deploy.prod.yml']);
    assert.deepEqual(byId.config.appliesTo, ['all environments', 'production']);
    assert.deepEqual(byId['env-files'].files, ['.env', 'docker/.env.local']);
    assert.deepEqual(byId.cronjobs.files, ['config/Zed/cronjobs/jenkins.php']);
    assert.deepEqual(byId['data-import'].files, ['data/import/common/common/glossary.csv']);
    assert.deepEqual(byId['glue-schema'].files, ['src/Pyz/Glue/WishlistsRestApi/Schema/wishlists.schema.yml']);
    assert.deepEqual(byId.queue.files, ['src/Pyz/Client/RabbitMq/RabbitMqConfig.php']);
    // The order is the order of importance, not of the files.
    assert.deepEqual(
      summary.categories.map((c) => c.id),
      ['deploy', 'config', 'env-files', 'cronjobs', 'queue', 'glue-schema', 'data-import'],
    );
  });

  it('a renamed file counts by its old path too (moving a schema file away is a schema change)', () => {
    const summary = assessRisk({ files: [{ path: 'legacy/spy_sales.schema.xml', previousPath: SCHEMA, status: 'renamed' }] });
    assert.deepEqual(schemaFiles(summary), ['legacy/spy_sales.schema.xml']);
  });

  it('names the environment of a config file', () => {
    assert.equal(configEnvironment('config/Shared/config_default.php'), 'all environments');
    assert.equal(configEnvironment('config/Shared/config_default-staging.php'), 'default-staging');
    assert.equal(configEnvironment('src/Pyz/Zed/Config.php'), undefined);
  });
});

describe('composer.lock', () => {
  const before = composerLock({ 'spryker/cart': '7.12.0', 'spryker/product-storage': '2.13.1', 'spryker-shop/checkout-page': '3.28.0', 'guzzlehttp/guzzle': '7.8.1', 'spryker/old': '1.0.0' }, { 'phpunit/phpunit': '10.5.9' });
  const after = composerLock({ 'spryker/cart': '8.0.0', 'spryker/product-storage': '2.14.0', 'spryker-shop/checkout-page': '3.28.0', 'guzzlehttp/guzzle': '7.9.2', 'spryker-feature/cart': '202410.0' }, { 'phpunit/phpunit': '10.5.9' });

  it('reads packages and packages-dev of a Composer 2 lock file', () => {
    const packages = parseComposerLock(before);
    assert.equal(packages.get('spryker/cart'), '7.12.0');
    assert.equal(packages.get('phpunit/phpunit'), '10.5.9');
    assert.equal(packages.size, 6);
  });

  it('lists Spryker module upgrades with from → to, flags major bumps, and keeps other dependencies apart', () => {
    const summary = assessRisk({ files: modified('composer.lock'), composerLockBefore: before, composerLockAfter: after });
    const modules = summary.categories.find((c) => c.id === 'modules');
    assert.deepEqual(modules?.modules, [
      { name: 'spryker-feature/cart', to: '202410.0', change: 'added', major: false },
      { name: 'spryker/cart', from: '7.12.0', to: '8.0.0', change: 'upgrade', major: true },
      { name: 'spryker/old', from: '1.0.0', change: 'removed', major: false },
      { name: 'spryker/product-storage', from: '2.13.1', to: '2.14.0', change: 'upgrade', major: false },
    ]);
    assert.deepEqual(summary.categories.find((c) => c.id === 'dependencies')?.modules, [{ name: 'guzzlehttp/guzzle', from: '7.8.1', to: '7.9.2', change: 'upgrade', major: false }]);
    assert.equal(riskLine(summary), 'Risk: 4 Spryker modules (1 major), 1 other dependency.');
  });

  it('going back (a rollback) shows downgrades', () => {
    const summary = assessRisk({ files: modified('composer.lock'), composerLockBefore: after, composerLockAfter: before });
    const cart = summary.categories.find((c) => c.id === 'modules')?.modules?.find((m) => m.name === 'spryker/cart');
    assert.deepEqual(cart, { name: 'spryker/cart', from: '8.0.0', to: '7.12.0', change: 'downgrade', major: true });
  });

  it('compares v-prefixed and dev versions without inventing an order', () => {
    assert.equal(compareModuleVersions('symfony/console', 'v6.4.3', 'v6.4.8').change, 'upgrade');
    assert.deepEqual(compareModuleVersions('x/y', 'dev-master', 'dev-main'), { name: 'x/y', from: 'dev-master', to: 'dev-main', change: 'changed', major: false });
  });

  it('an unreadable composer.lock is a note and a dependency change, never "nothing risky"', () => {
    const summary = assessRisk({ files: modified('composer.lock'), composerLockBefore: '{ not json', composerLockAfter: after });
    assert.ok(summary.notes.some((n) => /composer\.lock could not be read/.test(n)));
    assert.deepEqual(summary.categories.map((c) => c.id), ['dependencies']);
  });

  it('a composer.lock in a sub-folder is not the project lock', () => {
    assert.deepEqual(assessRisk({ files: modified('tools/composer.lock') }).categories, []);
  });
});

describe('risk settings', () => {
  it('adds project patterns and module vendors to the defaults', () => {
    const { rules, problems } = resolveRiskRules({ patterns: { schema: ['database/**/*.sql'] }, moduleVendors: ['acme'] });
    assert.deepEqual(problems, []);
    const summary = assessRisk(
      { files: modified('database/patches/001.sql', 'composer.lock'), composerLockBefore: composerLock({ 'acme/shop-core': '1.0.0' }), composerLockAfter: composerLock({ 'acme/shop-core': '2.0.0' }) },
      rules,
    );
    assert.deepEqual(schemaFiles(summary), ['database/patches/001.sql']);
    assert.equal(summary.categories.find((c) => c.id === 'modules')?.modules?.[0].name, 'acme/shop-core');
  });

  it('reports unknown categories and malformed entries instead of ignoring them', () => {
    const { problems } = resolveRiskRules({ patterns: { schemas: ['x'], deploy: [''] as string[] }, moduleVendors: ['Not A Vendor'] });
    assert.equal(problems.length, 3);
    assert.match(problems[0], /Unknown risk category "schemas"/);
  });

  it('globs: * stays in a folder, ** crosses folders', () => {
    assert.equal(globToRegExp('src/*/Zed/*.php').test('src/Pyz/Zed/A.php'), true);
    assert.equal(globToRegExp('src/*/Zed/*.php').test('src/Pyz/Zed/Sub/A.php'), false);
    assert.equal(globToRegExp('data/import/**').test('data/import/a/b/c.csv'), true);
    assert.equal(globToRegExp('**/.env').test('.env'), true);
    assert.equal(globToRegExp('deploy*.yml').test('deploy.yml.bak'), false);
  });
});

describe('rollback across a schema change', () => {
  const commit = (sha: string): CommitInfo => ({ sha, subject: sha, author: 'a', parents: [] });
  const OLD = 'a'.repeat(40);
  const NEW = 'b'.repeat(40);
  const git = {
    changedFiles: async () => [...modified(SCHEMA, 'composer.lock')],
    fileAt: async (sha: string) => (sha === NEW ? composerLock({ 'spryker/cart': '8.0.0' }) : composerLock({ 'spryker/cart': '7.12.0' })),
    // NEW has one commit OLD lacks: from NEW to OLD goes back.
    commitsBetween: async (from: string, to: string) => (from === OLD && to === NEW ? [commit(NEW)] : []),
  };

  it('warns, naming the schema files, when the target is older than what runs', async () => {
    const assessment = await assessChange(git, NEW, OLD);
    assert.equal(assessment?.goesBack, true);
    assert.match(assessment?.rollbackWarning ?? '', /crosses a database schema change \(src\/Pyz\/Zed\/Sales\/Persistence\/Propel\/Schema\/spy_sales\.schema\.xml\): the database stays migrated to the newer schema; the older code may not run against it\./);
    assert.equal(assessment?.summary.categories.find((c) => c.id === 'modules')?.modules?.[0].change, 'downgrade');
  });

  it('does not warn when deploying forward over the same schema change', async () => {
    const assessment = await assessChange(git, OLD, NEW);
    assert.equal(assessment?.goesBack, false);
    assert.equal(assessment?.rollbackWarning, undefined);
    assert.match(riskLine(assessment!.summary) ?? '', /database schema \(1 file\), 1 Spryker module \(1 major\)/);
  });

  it('says nothing when a rollback crosses no schema change', () => {
    assert.equal(rollbackSchemaWarning(assessRisk({ files: modified('deploy.yml') })), undefined);
  });

  it('is unknown (undefined), not "no risk", when the repository lacks a version', async () => {
    assert.equal(await assessChange({ ...git, changedFiles: async () => undefined }, NEW, OLD), undefined);
  });
});
