import { DiagnosticSeverity, type Diagnostic, type Range } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { DocumentProblem } from '../session/checkDocument';
import type { Severity } from '../sql/findings';
import { DIAGNOSTIC_SOURCE } from '../protocol/rules';

/** Conversions between core data (offsets, findings) and LSP shapes. */

const SEVERITIES: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

export function rangeOf(document: TextDocument, start: number, end: number): Range {
  return { start: document.positionAt(start), end: document.positionAt(Math.max(start, end)) };
}

/** Data carried on a diagnostic for its quick fixes. */
export interface DiagnosticData {
  suggestions: string[];
}

export function toDiagnostic(document: TextDocument, f: DocumentProblem): Diagnostic {
  const data: DiagnosticData = { suggestions: f.suggestions };
  return {
    range: rangeOf(document, f.start, f.end),
    severity: SEVERITIES[f.severity],
    code: f.code,
    source: DIAGNOSTIC_SOURCE,
    message: f.message,
    data,
  };
}
