// The one place a Presentation becomes a vscode.TreeItem.

import * as vscode from 'vscode';
import type { Presentation } from './presentation';

const COLLAPSIBLE = {
  none: vscode.TreeItemCollapsibleState.None,
  collapsed: vscode.TreeItemCollapsibleState.Collapsed,
  expanded: vscode.TreeItemCollapsibleState.Expanded,
} as const;

export function toTreeItem(p: Presentation, node: unknown): vscode.TreeItem {
  const item = new vscode.TreeItem(p.label, COLLAPSIBLE[p.collapsible]);
  item.id = p.id;
  if (p.description !== undefined) item.description = p.description;
  const tooltip = new vscode.MarkdownString(p.tooltip, true);
  tooltip.isTrusted = false;
  item.tooltip = tooltip;
  item.iconPath = new vscode.ThemeIcon(p.icon.id, p.icon.color ? new vscode.ThemeColor(p.icon.color) : undefined);
  item.contextValue = p.contextValue;
  if (p.command) item.command = { command: p.command.id, title: p.command.title, arguments: [node] };
  return item;
}
