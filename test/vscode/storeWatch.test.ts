// The store's cost rule with a watch held: an open approval panel or a followed deploy is someone looking, so
// the watched environment keeps polling at the fast interval with the views hidden and the window unfocused;
// the environments nobody watches cost nothing, and neither does anything once the watch is released.
import * as assert from 'node:assert/strict';
import type { TestApi } from '../../src/vscode/testApi';
import { activateExtension, sandbox, waitFor, withSettings } from './helpers';

const WATCHED = 'spryker-staging';
const OTHER = 'spryker-prod';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('store polling with a watch held (extension host + sandbox)', function () {
  this.timeout(60_000);
  const sb = sandbox();

  it('polls the watched environment fast with the views hidden and the window unfocused, the others not at all', async () => {
    assert.ok(sb, 'the sandbox is not running: start these tests with `npm run test:vscode`');
    const api = await activateExtension<TestApi | undefined>();
    assert.ok(api?.store, 'activate() returned no test API');
    const store = api.store;
    await withSettings(
      {
        'sprykerDeploy.environments': [
          { name: WATCHED, endpoint: sb.endpoint, region: sb.region },
          { name: OTHER, endpoint: sb.endpoint, region: sb.region },
        ],
        'sprykerDeploy.polling.activeSeconds': 1,
        'sprykerDeploy.polling.idleSeconds': 5,
      },
      async () => {
        await waitFor(() => store.environment(OTHER)?.endpoint === sb.endpoint, { message: 'settings applied' });
        const refreshed = new Map<string, number>();
        const counting = store.onDidChange((env) => refreshed.set(env, (refreshed.get(env) ?? 0) + 1));
        store.setViewVisible('Environments', false);
        store.setViewVisible('Commits', false);
        store.setWindowFocused(false);
        try {
          // Let refreshes started before the views were hidden end.
          await sleep(1500);
          assert.ok(store.isPaused(), 'nobody looks and nothing is watched: paused');
          const watch = store.watch(WATCHED);
          let released = false;
          try {
            refreshed.clear();
            await sleep(4500);
            assert.ok(!store.isPaused(), 'a watch keeps the store polling');
            // At 1 s a poll, 4.5 s give 4; 3 leaves room for a slow machine, the idle interval (5 s) would give 0.
            assert.ok((refreshed.get(WATCHED) ?? 0) >= 3, `the watched environment was refreshed ${refreshed.get(WATCHED) ?? 0} times in 4.5 s`);
            assert.equal(refreshed.get(OTHER) ?? 0, 0, 'the environment nobody watches was polled');
            watch.dispose();
            released = true;
            await sleep(1500);
            const before = api.awsCalls();
            await sleep(3000);
            assert.equal(api.awsCalls() - before, 0, 'AWS calls after the watch was released, with nobody looking');
            assert.ok(store.isPaused());
          } finally {
            if (!released) watch.dispose();
          }
        } finally {
          counting.dispose();
          store.setViewVisible('Environments', true);
          store.setWindowFocused(true);
        }
      },
    );
  });
});
