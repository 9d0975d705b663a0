/**
 * TypeScript and JavaScript: string expressions, query calls, tags and object literals, read from
 * `@babel/parser`'s syntax tree (300 KB minified against 3.5 MB for the TypeScript compiler).
 */
import type { Node, ObjectExpression, TemplateLiteral } from '@babel/types';
import { TextPositions } from '../text/textPositions';
import { decodeJsLiteral, type JsLiteralMode } from './escapes';
import {
  SUPPRESSION_MARKER,
  type HoleKind,
  type HostScan,
  type MappingLiteral,
  type PlainLiteral,
  type StringExpression,
  type StringPart,
} from './hostScan';
import { MappedTextBuilder } from './mappedText';
import type { EmbeddedSettings } from './settings';
import { calleeMatches } from './calleeNames';
import { parseTolerantly } from './parseJavaScript';

/** Callees whose string argument names a module, not data. */
const MODULE_CALLS = new Set(['require', 'require.resolve', 'import']);

/** Calls that build SQL fragments inside a template (`${sql.join(…)}`, `${sql(ids)}`). */
const FRAGMENT_HELPERS = new Set(['join', 'raw', 'unsafe', 'ref', 'id', 'table', 'lit', 'identifier', 'empty']);

/** Parses JS/TS source and reports its string expressions; never throws. */
export function scanJavaScript(fileName: string, text: string, settings: EmbeddedSettings): HostScan {
  const scan: HostScan = { strings: [], mappings: [], suppressedLines: new Set(), notes: [] };
  const parsed = parseTolerantly(fileName, text, scan.notes);
  if (!parsed) return scan;
  const lines = new TextPositions(text);
  for (const comment of parsed.comments) {
    if (comment.value.trim().startsWith(SUPPRESSION_MARKER))
      scan.suppressedLines.add(lines.lineAt(comment.end ?? 0) + 1);
  }
  new JavaScriptWalker(text, settings, scan).run(parsed.program);
  return scan;
}

type AnyNode = Node & Record<string, unknown>;

const isNode = (value: unknown): value is AnyNode =>
  typeof value === 'object' && value !== null && typeof (value as { type?: unknown }).type === 'string';

/** `pool.query`, `this.db.query`, `sql.raw`; `?` where a part is not a plain name. */
export function dottedName(node: Node): string {
  switch (node.type) {
    case 'Identifier':
      return node.name;
    case 'ThisExpression':
      return 'this';
    case 'MemberExpression':
    case 'OptionalMemberExpression': {
      const property = node.property;
      const name =
        property.type === 'Identifier' && !node.computed
          ? property.name
          : property.type === 'StringLiteral'
            ? property.value
            : property.type === 'PrivateName'
              ? `#${property.id.name}`
              : '?';
      return `${dottedName(node.object)}.${name}`;
    }
    case 'TSNonNullExpression':
    case 'TSInstantiationExpression':
      return dottedName(node.expression);
    case 'CallExpression':
    case 'OptionalCallExpression':
      return `${dottedName(node.callee)}()`;
    default:
      return '?';
  }
}

function unwrap(node: Node): Node {
  let current = node;
  while (
    current.type === 'TSAsExpression' ||
    current.type === 'TSSatisfiesExpression' ||
    current.type === 'TSNonNullExpression' ||
    current.type === 'TSTypeAssertion' ||
    current.type === 'ParenthesizedExpression'
  ) {
    current = current.expression;
  }
  return current;
}

class JavaScriptWalker {
  private readonly initialisers = new Map<string, StringExpression[]>();
  private readonly extended = new Set<string>();
  /** How many SQL-tagged templates the walk is inside the interpolations of. */
  private sqlTemplateDepth = 0;
  private readonly pending: { name: string; context: NonNullable<StringExpression['context']> }[] = [];

  constructor(
    private readonly text: string,
    private readonly settings: EmbeddedSettings,
    private readonly scan: HostScan,
  ) {}

  run(program: Node): void {
    this.visit(program as AnyNode);
    // `const q = '…'; pool.query(q)`: the call decides what the single initialiser is.
    for (const { name, context } of this.pending) {
      const candidates = this.initialisers.get(name);
      if (candidates?.length === 1 && !candidates[0].context) candidates[0].context = context;
    }
    for (const name of this.extended)
      for (const expression of this.initialisers.get(name) ?? []) expression.extendedLater = true;
  }

  private visit(node: AnyNode): void {
    switch (node.type) {
      case 'StringLiteral':
      case 'TemplateLiteral':
      case 'BinaryExpression':
        if (this.isStringish(node)) {
          this.emit(node);
          return;
        }
        break;
      case 'TaggedTemplateExpression':
        if (this.visitTaggedTemplate(node)) return;
        break;
      case 'CallExpression':
      case 'OptionalCallExpression':
      case 'NewExpression':
        if (this.visitCall(node)) return;
        break;
      case 'ImportDeclaration':
      case 'ExportAllDeclaration':
      case 'ExportNamedDeclaration':
        if (node.source) {
          if (node.type === 'ExportNamedDeclaration' && node.declaration) this.visit(node.declaration as AnyNode);
          return;
        }
        break;
      case 'ImportExpression':
      case 'TSImportType':
      case 'TSExternalModuleReference':
      case 'TSModuleDeclaration':
        return;
      case 'VariableDeclarator':
        if (node.id.type === 'Identifier' && node.init && this.isStringish(unwrap(node.init))) {
          const expression = this.emit(unwrap(node.init) as AnyNode);
          const list = this.initialisers.get(node.id.name) ?? [];
          list.push(expression);
          this.initialisers.set(node.id.name, list);
          return;
        }
        break;
      case 'AssignmentExpression':
        if (node.operator === '+=' && node.left.type === 'Identifier') this.extended.add(node.left.name);
        break;
      case 'ObjectExpression':
        this.collectMapping(node);
        break;
    }
    this.visitChildren(node);
  }

  private visitChildren(node: AnyNode): void {
    for (const key in node) {
      if (key === 'loc' || key === 'extra' || key === 'start' || key === 'end' || key === 'type') continue;
      const value = node[key];
      if (Array.isArray(value)) {
        for (const item of value) if (isNode(item)) this.visit(item);
      } else if (isNode(value)) {
        this.visit(value);
      }
    }
  }

  private isStringish(node: Node): boolean {
    switch (node.type) {
      case 'StringLiteral':
      case 'TemplateLiteral':
        return true;
      case 'TaggedTemplateExpression':
        return dottedName(node.tag) === 'String.raw';
      case 'BinaryExpression':
        return node.operator === '+' && (this.isStringish(unwrap(node.left)) || this.isStringish(unwrap(node.right)));
      default:
        return false;
    }
  }

  /** Records a string expression and walks the expressions interpolated into it. */
  private emit(node: AnyNode, context?: StringExpression['context']): StringExpression {
    const parts: StringPart[] = [];
    const holes: Node[] = [];
    this.collectParts(node, parts, holes);
    const expression: StringExpression = {
      start: node.start ?? 0,
      end: node.end ?? 0,
      parts,
      context,
      extendedLater: false,
    };
    this.scan.strings.push(expression);
    // A SQL tag inside a SQL template's interpolation (postgres.js `sql`DESC``) is a fragment of it.
    const sqlTemplate = context?.kind === 'tag';
    if (sqlTemplate) this.sqlTemplateDepth++;
    for (const hole of holes) this.visit(hole as AnyNode);
    if (sqlTemplate) this.sqlTemplateDepth--;
    return expression;
  }

  private collectParts(raw: Node, parts: StringPart[], holes: Node[]): void {
    const node = unwrap(raw);
    const text = this.text;
    if (node.type === 'StringLiteral') {
      const from = (node.start ?? 0) + 1;
      const to = (node.end ?? 0) - 1;
      parts.push({
        kind: 'literal',
        start: from,
        end: to,
        decode: (out) => decodeJsLiteral(text, from, to, 'string', out),
      });
    } else if (node.type === 'TemplateLiteral') {
      this.collectTemplate(node, 'template', parts, holes);
    } else if (node.type === 'TaggedTemplateExpression' && dottedName(node.tag) === 'String.raw') {
      this.collectTemplate(node.quasi, 'raw-template', parts, holes);
    } else if (node.type === 'BinaryExpression' && node.operator === '+' && this.isStringish(node)) {
      this.collectParts(node.left, parts, holes);
      this.collectParts(node.right, parts, holes);
    } else {
      parts.push({ kind: 'hole', start: node.start ?? 0, end: node.end ?? 0, hole: 'concatenation' });
      holes.push(node);
    }
  }

  private collectTemplate(node: TemplateLiteral, mode: JsLiteralMode, parts: StringPart[], holes: Node[]): void {
    const text = this.text;
    node.quasis.forEach((quasi, i) => {
      const from = quasi.start ?? 0;
      const to = quasi.end ?? 0;
      parts.push({
        kind: 'literal',
        start: from,
        end: to,
        decode: (out) => decodeJsLiteral(text, from, to, mode, out),
      });
      const expression = node.expressions[i];
      const next = node.quasis[i + 1];
      if (!expression || !next) return;
      parts.push({ kind: 'hole', start: to, end: next.start ?? to, hole: this.interpolationKind(expression) });
      holes.push(expression);
    });
  }

  private interpolationKind(raw: Node): HoleKind {
    const node = unwrap(raw);
    switch (node.type) {
      case 'TemplateLiteral':
      case 'StringLiteral':
      case 'ConditionalExpression':
      case 'LogicalExpression':
      case 'TaggedTemplateExpression':
        return 'fragment';
      case 'BinaryExpression':
        return node.operator === '+' ? 'fragment' : 'value';
      case 'CallExpression':
      case 'OptionalCallExpression': {
        const callee = dottedName(node.callee);
        const last = callee.slice(callee.lastIndexOf('.') + 1);
        const isTagHelper = calleeMatches(callee.split('.')[0], this.settings.sqlTags);
        return isTagHelper || FRAGMENT_HELPERS.has(last) ? 'fragment' : 'value';
      }
      default:
        return 'value';
    }
  }

  private visitTaggedTemplate(node: Extract<AnyNode, { type: 'TaggedTemplateExpression' }>): boolean {
    const tag = dottedName(node.tag);
    if (tag === 'String.raw') {
      this.emit(node);
      return true;
    }
    if (calleeMatches(tag, this.settings.sqlTags)) {
      const fragment = this.sqlTemplateDepth > 0;
      this.emit(node.quasi as AnyNode, { kind: 'tag', name: tag, fragment, bindsValues: true });
      this.visit(node.tag as AnyNode);
      return true;
    }
    // Other tags (gql, css, html) are other languages: their text counts only if it reads as a
    // statement, and then it is said to be unchecked (the tag decides what reaches the database).
    this.visit(node.tag as AnyNode);
    this.emit(node.quasi as AnyNode).unknownTag = tag;
    return true;
  }

  private visitCall(
    node: Extract<AnyNode, { type: 'CallExpression' | 'OptionalCallExpression' | 'NewExpression' }>,
  ): boolean {
    const callee = node.callee.type === 'Import' ? 'import' : dottedName(node.callee);
    const [first, ...rest] = node.arguments;
    if (MODULE_CALLS.has(callee) && first?.type === 'StringLiteral') return true;
    if (calleeMatches(callee, this.settings.messageCalls)) {
      this.visit(node.callee as AnyNode);
      for (const argument of node.arguments) if (!this.isStringish(unwrap(argument))) this.visit(argument as AnyNode);
      return true;
    }
    const statement = calleeMatches(callee, this.settings.queryCalls.javascript);
    const fragment = !statement && calleeMatches(callee, this.settings.fragmentCalls.javascript);
    if ((!statement && !fragment) || !first) return false;
    const context = { kind: 'call' as const, name: callee, fragment, bindsValues: false };
    const argument = unwrap(first) as AnyNode;
    if (this.isStringish(argument)) {
      this.emit(argument, context);
    } else if (argument.type === 'Identifier') {
      this.pending.push({ name: argument.name, context });
      this.visit(argument);
    } else if (argument.type === 'ObjectExpression') {
      this.visitQueryConfig(argument, context);
    } else {
      this.visit(argument);
    }
    this.visit(node.callee as AnyNode);
    for (const other of rest) this.visit(other as AnyNode);
    return true;
  }

  /** `pool.query({ text: '…', values })`, `connection.query({ sql: '…' })`. */
  private visitQueryConfig(node: ObjectExpression, context: NonNullable<StringExpression['context']>): void {
    for (const property of node.properties) {
      const value = property.type === 'ObjectProperty' ? unwrap(property.value) : undefined;
      const key = property.type === 'ObjectProperty' && property.key.type === 'Identifier' ? property.key.name : '';
      if (value && (key === 'text' || key === 'sql') && this.isStringish(value)) this.emit(value as AnyNode, context);
      else this.visit(property as AnyNode);
    }
  }

  private collectMapping(node: ObjectExpression): void {
    const mapping: MappingLiteral = { start: node.start ?? 0, end: node.end ?? 0, keys: [], values: [] };
    for (const property of node.properties) {
      if (property.type !== 'ObjectProperty') continue;
      const key = this.plainLiteral(property.key);
      if (key) mapping.keys.push(key);
      const value = this.plainLiteral(unwrap(property.value));
      if (value) mapping.values.push(value);
    }
    if (mapping.keys.length + mapping.values.length >= 2) this.scan.mappings.push(mapping);
  }

  private plainLiteral(node: Node): PlainLiteral | undefined {
    const text = this.text;
    let from: number;
    let to: number;
    let mode: JsLiteralMode;
    if (node.type === 'StringLiteral') {
      from = (node.start ?? 0) + 1;
      to = (node.end ?? 0) - 1;
      mode = 'string';
    } else if (node.type === 'TemplateLiteral' && node.expressions.length === 0) {
      from = node.quasis[0].start ?? 0;
      to = node.quasis[0].end ?? 0;
      mode = 'template';
    } else {
      return undefined;
    }
    const out = new MappedTextBuilder();
    decodeJsLiteral(text, from, to, mode, out);
    return { start: from, end: to, value: out.build().text };
  }
}
