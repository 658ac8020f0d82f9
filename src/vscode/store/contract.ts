// What the rest of the extension may ask of the store. Only the composition root knows the implementation
// (environmentStore.ts); contracts.ts re-exports this for the other parts.

import type * as vscode from 'vscode';
import type { EnvironmentService } from '../../core/api';
import type { DeployError } from '../../core/errors';
import type { EnvironmentConfig, EnvironmentStatus } from '../../core/model';
import type { StatusTransition } from './transitions';
import type { ViewState } from './viewState';

/**
 * The environments, their services (AWS loaded lazily) and their latest polled status. Everything outside the
 * composition root depends on this, not on the polling implementation (store/environmentStore.ts).
 */
export interface EnvironmentStore {
  environments(): readonly EnvironmentConfig[];
  environment(name: string): EnvironmentConfig | undefined;
  /** Why the sprykerDeploy.environments setting could not be read, if it could not. */
  configError(): DeployError | undefined;
  /** Builds (once) the EnvironmentService of an environment; loads the AWS bundle on first use. */
  service(envName: string): Promise<EnvironmentService>;
  /** The last status polled, if any. */
  status(envName: string): EnvironmentStatus | undefined;
  /** The error of the environment's last refresh, cleared by the next successful one. */
  error(envName: string): DeployError | undefined;
  /** What the Environments view shows as a whole (configured, signed out, loading...). */
  viewState(): ViewState;
  isRefreshing(envName: string): boolean;
  /** Fires with the environment name whose status (or error) changed. */
  readonly onDidChange: vscode.Event<string>;
  /** The list of environments (or the settings error) changed. */
  readonly onDidChangeEnvironments: vscode.Event<void>;
  /** An approval started waiting or an execution finished, seen by comparing two polls. */
  readonly onDidTransition: vscode.Event<StatusTransition>;
  /** Refreshes now (coalesced with a refresh already running) and resolves with the new status. */
  refresh(envName?: string): Promise<void>;
  /** Re-reads the settings. */
  reload(): void;
  /** Forgets the services (credentials changed) and refreshes. */
  resetCredentials(): Promise<void>;
  /**
   * Someone looks at this environment (a panel is open, a deploy is followed): it polls at the fast interval until
   * the watch is disposed, even while the views are hidden and the window unfocused.
   */
  watch(envName: string): vscode.Disposable;
}
