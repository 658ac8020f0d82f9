// The entry of dist/panels.js: the approval panel and the past-execution panel with their view models and HTML.
// They are needed only when a panel opens, so registerApprovalPanel loads this bundle then (lazyBundle) and the
// extension's entry bundle stays small (#12: dist/extension.js ≤ 150 KB). Their imports of the core resolve to the
// shared dist/core.js; what else they import (the webview protocol, the risk settings) holds no state.
export { ApprovalPanel } from './approvalPanel';
export { ExecutionPanel } from './executionPanel';
