// The workbench the compare/promote and risk UI tests share: code-server with the sandbox deploying from the demo's
// Spryker history (a module upgrade, a schema change, a deploy.yml change), both environments configured, and the
// history's commits in the workspace repository (as a clone would have them) on a branch of its own.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { SHOP_HISTORY, writeShopHistory } from '../../scripts/harness/sprykerShop';
import { createAwsPortsFactory } from '../../src/aws/index';
import type { EnvironmentService } from '../../src/core/api';
import { createEnvironmentService } from '../../src/core/environmentService';
import { resolveEnvironment } from '../../src/core/environments';
import { openWorkbench, type Workbench } from './workbench';

/** The index in the demo's history of the commit whose subject starts so. */
export const shopIndex = (subject: string): number => SHOP_HISTORY.findIndex((c) => c.subject.startsWith(subject));

export interface ShopWorkbench {
  readonly wb: Workbench;
  /** The history's commits, oldest first. */
  readonly shas: readonly string[];
  /** An EnvironmentService of the test's own, straight to the sandbox: to set up the world around the UI. */
  service(name: string): EnvironmentService;
  close(): Promise<void>;
}

export async function openShopWorkbench(prefix: string): Promise<ShopWorkbench> {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  const shop = path.join(scratch, 'shop');
  const shas = writeShopHistory(shop);
  const wb = await openWorkbench({
    sandbox: { repo: shop, stageSeconds: 0.3 },
    settings: (sb) => ({
      'sprykerDeploy.environments': ['spryker-staging', 'spryker-prod'].map((name) => ({ name, endpoint: sb!.endpoint, region: sb!.region })),
      'sprykerDeploy.notifications.approval': false,
    }),
  });
  wb.workspace.git('fetch', '-q', shop, 'main:refs/heads/shop-history');
  const sb = wb.sandbox!;
  return {
    wb,
    shas,
    service: (name) => {
      const config = resolveEnvironment({ name, endpoint: sb.endpoint, region: sb.region });
      return createEnvironmentService(config, createAwsPortsFactory({ credentials: sb.credentials })(config));
    },
    close: async () => {
      await wb.close();
      fs.rmSync(scratch, { recursive: true, force: true });
    },
  };
}

/** Deploys `version` and approves it, to success (superseding whatever runs). */
export async function deployApproved(service: EnvironmentService, version: string): Promise<void> {
  const started = await service.deploy(version, { supersede: true });
  const waiting = await service.follow(started.executionId, { stopAtApproval: true, pollMs: 200 });
  await service.decide(waiting.approval!, 'Approved', 'setting up the test');
  assert.equal((await service.follow(started.executionId, { pollMs: 200 })).status, 'Succeeded');
}
