import type * as vscode from 'vscode';

/** `"password": "…"` in traced JSON (escaped quotes included). */
const PASSWORD_FIELD = /("password"\s*:\s*)"(?:[^"\\]|\\.)*"/g;

/** Hides password values in a line of protocol trace. */
export function redactPasswords(text: string): string {
  return text.replace(PASSWORD_FIELD, '$1"<hidden>"');
}

/**
 * An output channel that writes into `target` with password values hidden: protocol traces print
 * request results verbatim, and `liveSchema/getPassword` results are secrets.
 */
export function redactingChannel(target: vscode.OutputChannel): vscode.OutputChannel {
  return {
    name: target.name,
    append: (value) => target.append(redactPasswords(value)),
    appendLine: (value) => target.appendLine(redactPasswords(value)),
    replace: (value) => target.replace(redactPasswords(value)),
    clear: () => target.clear(),
    show: (...args: [boolean?] | [vscode.ViewColumn?, boolean?]) => target.show(...(args as [boolean?])),
    hide: () => target.hide(),
    // The target belongs to the context, which disposes it once.
    dispose: () => undefined,
  };
}
