// A Spryker-like Git history for the demo and the tests: real file layouts and a real composer.lock shape, with a
// commit of each risky kind (a module upgrade, a database schema change, a deploy.yml change) so the risk summary
// (src/core/risk.ts) has something true to say. Oldest first. The sandbox deploys from it (src/sandbox/defaultWorld):
// production ends up on "Add delivery date to orders" (index 6), staging on index 8, two newest commits unbuilt, so
// rolling production back to index 4 crosses the schema change and the module upgrade.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

/** A composer.lock as Composer 2 writes it (the fields a reader meets; dist/source trimmed to what matters). */
export function composerLock(packages: Record<string, string>, devPackages: Record<string, string> = {}): string {
  const entry = (name: string, version: string) => ({
    name,
    version,
    source: { type: 'git', url: `https://github.com/${name}.git`, reference: hashOf(`${name}@${version}`) },
    dist: { type: 'zip', url: `https://api.github.com/repos/${name}/zipball/${hashOf(`${name}@${version}`)}`, reference: hashOf(`${name}@${version}`), shasum: '' },
    require: { php: '>=8.1' },
    type: name.startsWith('spryker') ? 'library' : 'library',
    license: ['proprietary'],
    description: `${name} package`,
    time: '2025-10-01T12:00:00+00:00',
  });
  return `${JSON.stringify(
    {
      _readme: ['This file locks the dependencies of your project to a known state', 'Read more about it at https://getcomposer.org/doc/01-basic-usage.md#installing-dependencies', 'This file is @generated automatically'],
      'content-hash': hashOf(JSON.stringify(packages)).slice(0, 32),
      packages: Object.entries(packages).map(([n, v]) => entry(n, v)),
      'packages-dev': Object.entries(devPackages).map(([n, v]) => entry(n, v)),
      aliases: [],
      'minimum-stability': 'dev',
      'stability-flags': {},
      'prefer-stable': true,
      'prefer-lowest': false,
      platform: { php: '>=8.1' },
      'platform-dev': {},
      'plugin-api-version': '2.6.0',
    },
    null,
    4,
  )}\n`;
}

function hashOf(text: string): string {
  let h = 0x811c9dc5;
  let out = '';
  for (let round = 0; round < 5; round++) {
    for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
    h = Math.imul(h ^ round, 0x01000193) >>> 0;
    out += h.toString(16).padStart(8, '0');
  }
  return out;
}

const LOCK_BEFORE = {
  'spryker/cart': '7.12.0',
  'spryker/product-storage': '2.13.1',
  'spryker/sales': '11.40.0',
  'spryker-shop/checkout-page': '3.28.0',
  'spryker-feature/cart': '202410.0',
  'guzzlehttp/guzzle': '7.8.1',
  'symfony/console': 'v6.4.3',
};
const LOCK_AFTER = { ...LOCK_BEFORE, 'spryker/cart': '8.0.0', 'spryker/product-storage': '2.14.0', 'symfony/console': 'v6.4.8' };
const DEV = { 'phpunit/phpunit': '10.5.9', 'spryker/code-sniffer': '0.17.20' };

const SALES_SCHEMA = (extra: string) => `<?xml version="1.0"?>
<database xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" name="zed" xsi:noNamespaceSchemaLocation="http://static.spryker.com/schema-01.xsd" namespace="Orm\\Zed\\Sales\\Persistence" package="src.Orm.Zed.Sales.Persistence">
    <table name="spy_sales_order">
        <column name="cart_note" type="VARCHAR" size="255"/>${extra}
    </table>
</database>
`;

const DEPLOY_YML = (zedMemory: string) => `version: '0.1'
namespace: spryker-b2c
tag: '1.0'
environment: docker.prod
image:
  tag: spryker/php:8.2
  php:
    ini:
      memory_limit: ${zedMemory}
regions:
  EU:
    services:
      database:
        database: eu-docker
groups:
  EU:
    region: EU
    applications:
      zed_eu:
        application: zed
        endpoints:
          backoffice.eu.spryker.local:
            store: DE
`;

export interface ShopCommit {
  readonly subject: string;
  readonly author: string;
  /** Files to write (relative paths). */
  readonly files: Readonly<Record<string, string>>;
}

export const SHOP_HISTORY: readonly ShopCommit[] = [
  {
    subject: 'Initial import of the B2C Demo Shop',
    author: 'Mia Schneider',
    files: {
      'README.md': '# B2C Demo Shop\n',
      'composer.json': '{\n    "name": "spryker-shop/b2c-demo-shop",\n    "require": {\n        "spryker-feature/cart": "202410.0"\n    }\n}\n',
      'composer.lock': composerLock(LOCK_BEFORE, DEV),
      'deploy.yml': DEPLOY_YML('1024M'),
      'config/Shared/config_default.php': "<?php\n\n$config[\\Spryker\\Shared\\Session\\SessionConstants::ZED_SESSION_TIME_TO_LIVE] = 3600;\n",
      'src/Pyz/Zed/Sales/Persistence/Propel/Schema/spy_sales.schema.xml': SALES_SCHEMA(''),
    },
  },
  { subject: 'Add Glue endpoint for wishlists', author: 'Jonas Weber', files: { 'src/Pyz/Glue/WishlistsRestApi/WishlistsResource.php': '<?php\n\nclass WishlistsResource {}\n' } },
  { subject: 'Fix price rounding in cart totals', author: 'Lena Fischer', files: { 'src/Pyz/Zed/Calculation/PriceRounding.php': '<?php\n\nclass PriceRounding { const MODE = PHP_ROUND_HALF_UP; }\n' } },
  { subject: 'Translate checkout to de_DE', author: 'Jonas Weber', files: { 'data/import/common/common/glossary.csv': 'key,translation,locale\ncheckout.step.address,Adresse,de_DE\n' } },
  {
    subject: 'Configure Redis session TTL per store',
    author: 'Mia Schneider',
    files: { 'src/Pyz/Yves/Session/SessionConfig.php': '<?php\n\nclass SessionConfig { const TTL = 1800; }\n' },
  },
  { subject: 'Upgrade spryker/cart to 8.0.0 and spryker/product-storage to 2.14.0', author: 'Lena Fischer', files: { 'composer.lock': composerLock(LOCK_AFTER, DEV) } },
  {
    subject: 'Add delivery date to orders',
    author: 'Jonas Weber',
    files: {
      'src/Pyz/Zed/Sales/Persistence/Propel/Schema/spy_sales.schema.xml': SALES_SCHEMA('\n        <column name="delivery_date" type="DATE" required="false"/>'),
      'src/Pyz/Zed/Sales/Business/DeliveryDateWriter.php': '<?php\n\nclass DeliveryDateWriter {}\n',
    },
  },
  { subject: 'Raise Zed memory limit in deploy.yml', author: 'Mia Schneider', files: { 'deploy.yml': DEPLOY_YML('2048M') } },
  { subject: 'Add CMS block for the home page teaser', author: 'Lena Fischer', files: { 'data/import/common/common/cms_block.csv': 'block_key,name\nhome-teaser,Home teaser\n' } },
  { subject: 'Search facets for the category page', author: 'Jonas Weber', files: { 'src/Pyz/Yves/SearchPage/Facets.php': '<?php\n\nclass Facets {}\n' } },
  { subject: 'Bump frontend dependencies', author: 'Mia Schneider', files: { 'package.json': '{\n  "name": "b2c-demo-shop",\n  "devDependencies": { "webpack": "5.94.0" }\n}\n' } },
];

/**
 * Writes SHOP_HISTORY as commits into the repository at `root` (created if needed), one day apart ending about a
 * day before `nowSeconds`. Returns the shas, oldest first.
 */
export function writeShopHistory(root: string, nowSeconds = Math.floor(Date.now() / 1000)): string[] {
  fs.mkdirSync(root, { recursive: true });
  const git = (args: string[], extra: Record<string, string> = {}) =>
    execFileSync('git', ['-C', root, ...args], { encoding: 'utf8', env: { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1', ...extra } }).trim();
  if (!fs.existsSync(path.join(root, '.git'))) git(['init', '-q', '-b', 'main']);
  return SHOP_HISTORY.map(({ subject, author, files }, i) => {
    for (const [relative, content] of Object.entries(files)) {
      const target = path.join(root, relative);
      fs.mkdirSync(path.dirname(target), { recursive: true });
      fs.writeFileSync(target, content);
    }
    git(['add', '-A']);
    const date = `${nowSeconds - (SHOP_HISTORY.length - i) * 86400 + 3600 * (i % 5)} +0000`;
    const email = `${author.toLowerCase().replace(' ', '.')}@example.invalid`;
    git(['commit', '-q', '--allow-empty', '-m', subject], { GIT_AUTHOR_NAME: author, GIT_AUTHOR_EMAIL: email, GIT_COMMITTER_NAME: author, GIT_COMMITTER_EMAIL: email, GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date });
    return git(['rev-parse', 'HEAD']);
  });
}
