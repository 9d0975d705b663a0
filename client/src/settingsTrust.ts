import * as vscode from 'vscode';
import type { ConfigurationMiddleware } from 'vscode-languageclient/node';
import { TRUST_ANNOTATION_KEY, type TrustAnnotation } from '../../server/src/protocol/trustAnnotation';
import { Setting } from './ids';

/**
 * Tells the server where the `liveSchema` settings it receives came from. Only VS Code knows
 * whether connections were written by the user or by the workspace (a repository's
 * `.vscode/settings.json`), and whether the workspace is trusted; the server decides what that
 * allows (SECURITY.md). The annotation always replaces whatever the settings held under its key.
 */
export const annotateSettingsTrust: ConfigurationMiddleware['configuration'] = async (params, token, next) => {
  const result = await next(params, token);
  if (!Array.isArray(result)) return result;
  return result.map((value: unknown, i) => {
    const item = params.items[i];
    if (item?.section !== Setting.section || value === null || typeof value !== 'object') return value;
    return { ...value, [TRUST_ANNOTATION_KEY]: trustAnnotation(item.scopeUri) };
  });
};

function trustAnnotation(scopeUri: string | undefined): TrustAnnotation {
  const config = vscode.workspace.getConfiguration(Setting.section, scopeUri ? vscode.Uri.parse(scopeUri) : undefined);
  const connections = config.inspect(Setting.connections);
  const fromWorkspace = [
    connections?.workspaceValue,
    connections?.workspaceFolderValue,
    connections?.workspaceLanguageValue,
    connections?.workspaceFolderLanguageValue,
  ].some((v) => v !== undefined);
  const allowEnv = config.inspect<unknown>(Setting.allowEnv)?.globalValue;
  return {
    connections: fromWorkspace ? 'repository' : 'user',
    allowEnv: Array.isArray(allowEnv) ? allowEnv.filter((v): v is string => typeof v === 'string') : [],
    workspaceTrusted: vscode.workspace.isTrusted,
  };
}
