/**
 * Python: string expressions, query calls and dicts, read from tree-sitter's Python grammar.
 * Tree-sitter recovers from syntax errors by itself, so a broken file still yields its good parts.
 */
import type { Node, Parser } from 'web-tree-sitter';
import { calleeMatches } from './calleeNames';
import { decodePythonLiteral, pythonStringFlags } from './escapes';
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

/** The node types the walker looks at; every other node is only walked through. */
const HANDLED_TYPES = new Set([
  'comment',
  'expression_statement',
  'string',
  'concatenated_string',
  'binary_operator',
  'call',
  'assignment',
  'augmented_assignment',
  'dictionary',
]);

/** Keyword arguments that carry the statement when it is not passed positionally. */
const STATEMENT_KEYWORDS = new Set(['sql', 'query', 'statement', 'operation']);

/** Parses Python source and reports its string expressions; never throws. */
export function scanPython(parser: Parser, text: string, settings: EmbeddedSettings): HostScan {
  const scan: HostScan = { strings: [], mappings: [], suppressedLines: new Set(), notes: [] };
  const tree = parser.parse(text);
  if (!tree) {
    scan.notes.push('The Python parser returned no tree; no SQL was read from the file.');
    return scan;
  }
  try {
    if (tree.rootNode.hasError) scan.notes.push('The file has syntax errors; SQL was read from the parts that parse.');
    new PythonWalker(text, settings, scan).run(tree.rootNode);
  } finally {
    tree.delete();
  }
  return scan;
}

function dotted(node: Node | null): string {
  if (!node) return '?';
  if (node.type === 'identifier') return node.text;
  if (node.type === 'attribute')
    return `${dotted(node.childForFieldName('object'))}.${node.childForFieldName('attribute')?.text ?? '?'}`;
  if (node.type === 'call') return `${dotted(node.childForFieldName('function'))}()`;
  return '?';
}

function unwrap(node: Node): Node {
  let current = node;
  while (current.type === 'parenthesized_expression' && current.namedChildCount === 1)
    current = current.namedChild(0) ?? current;
  return current;
}

class PythonWalker {
  private readonly initialisers = new Map<string, StringExpression[]>();
  private readonly extended = new Set<string>();
  private readonly pending: { name: string; context: NonNullable<StringExpression['context']> }[] = [];

  constructor(
    private readonly text: string,
    private readonly settings: EmbeddedSettings,
    private readonly scan: HostScan,
  ) {}

  run(root: Node): void {
    this.visit(root);
    for (const { name, context } of this.pending) {
      const candidates = this.initialisers.get(name);
      if (candidates?.length === 1 && !candidates[0].context) candidates[0].context = context;
    }
    for (const name of this.extended)
      for (const expression of this.initialisers.get(name) ?? []) expression.extendedLater = true;
  }

  /**
   * Walks the subtree with a cursor: reading node types through it is far cheaper than building
   * a `Node` (a WASM round trip) for every child; only the node types below are materialised.
   */
  private visit(root: Node): void {
    const cursor = root.walk();
    try {
      let depth = 0;
      for (;;) {
        const descend = !HANDLED_TYPES.has(cursor.nodeType) || this.handle(cursor.currentNode);
        if (descend && cursor.gotoFirstChild()) {
          depth++;
          continue;
        }
        for (;;) {
          if (depth === 0) return;
          if (cursor.gotoNextSibling()) break;
          cursor.gotoParent();
          depth--;
        }
      }
    } finally {
      cursor.delete();
    }
  }

  /** Handles one node; true when its children still need a visit. */
  private handle(node: Node): boolean {
    switch (node.type) {
      case 'comment':
        if (node.text.slice(1).trim().startsWith(SUPPRESSION_MARKER))
          this.scan.suppressedLines.add(node.endPosition.row + 1);
        return false;
      case 'expression_statement': {
        // A bare string statement is a docstring: prose, not data.
        const only = node.namedChildCount === 1 ? node.namedChild(0) : null;
        if (only && (only.type === 'string' || only.type === 'concatenated_string')) return false;
        break;
      }
      case 'string':
      case 'concatenated_string':
      case 'binary_operator':
        if (this.isStringish(node)) {
          this.emit(node);
          return false;
        }
        break;
      case 'call':
        if (this.visitCall(node)) return false;
        break;
      case 'assignment': {
        const left = node.childForFieldName('left');
        const right = node.childForFieldName('right');
        if (left?.type === 'identifier' && right && this.isStringish(unwrap(right))) {
          const expression = this.emit(unwrap(right));
          const list = this.initialisers.get(left.text) ?? [];
          list.push(expression);
          this.initialisers.set(left.text, list);
          return false;
        }
        break;
      }
      case 'augmented_assignment': {
        const left = node.childForFieldName('left');
        if (left?.type === 'identifier' && node.childForFieldName('operator')?.type === '+=')
          this.extended.add(left.text);
        break;
      }
      case 'dictionary':
        this.collectMapping(node);
        break;
    }
    return true;
  }

  private isStringish(node: Node): boolean {
    switch (node.type) {
      case 'string':
        return !pythonStringFlags(node.firstChild?.text ?? '"').bytes;
      case 'concatenated_string':
        return node.namedChildren.every((child) => child !== null && this.isStringish(child));
      case 'binary_operator': {
        const operator = node.childForFieldName('operator')?.type;
        const left = node.childForFieldName('left');
        const right = node.childForFieldName('right');
        if (operator === '%') return left !== null && this.isStringish(unwrap(left));
        return operator === '+' && [left, right].some((side) => side !== null && this.isStringish(unwrap(side)));
      }
      case 'call': {
        const fn = node.childForFieldName('function');
        const object = fn?.type === 'attribute' ? fn.childForFieldName('object') : null;
        return (
          fn?.childForFieldName('attribute')?.text === 'format' && object !== null && this.isStringish(unwrap(object))
        );
      }
      default:
        return false;
    }
  }

  private emit(node: Node, context?: StringExpression['context']): StringExpression {
    const parts: StringPart[] = [];
    const holes: Node[] = [];
    this.collectParts(node, parts, holes);
    const expression: StringExpression = {
      start: node.startIndex,
      end: node.endIndex,
      parts,
      context,
      extendedLater: false,
    };
    this.scan.strings.push(expression);
    for (const hole of holes) this.visit(hole);
    return expression;
  }

  private collectParts(raw: Node, parts: StringPart[], holes: Node[]): void {
    const node = unwrap(raw);
    if (node.type === 'string') {
      this.collectString(node, parts, holes);
    } else if (node.type === 'concatenated_string') {
      for (const child of node.namedChildren) if (child) this.collectString(child, parts, holes);
    } else if (node.type === 'binary_operator' && this.isStringish(node)) {
      const left = node.childForFieldName('left');
      const right = node.childForFieldName('right');
      const formatting = node.childForFieldName('operator')?.type === '%';
      if (left) this.collectParts(left, parts, holes);
      if (right && formatting) {
        parts.push({ kind: 'hole', start: right.startIndex, end: right.endIndex, hole: 'formatting' });
        holes.push(right);
      } else if (right) {
        this.collectParts(right, parts, holes);
      }
    } else if (node.type === 'call' && this.isStringish(node)) {
      const object = node.childForFieldName('function')?.childForFieldName('object');
      const args = node.childForFieldName('arguments');
      if (object) this.collectParts(object, parts, holes);
      if (args) {
        parts.push({ kind: 'hole', start: args.startIndex, end: args.endIndex, hole: 'formatting' });
        holes.push(args);
      }
    } else {
      parts.push({ kind: 'hole', start: node.startIndex, end: node.endIndex, hole: 'concatenation' });
      holes.push(node);
    }
  }

  /** The literal stretches between the quotes and the `{…}` interpolations of one string token. */
  private collectString(node: Node, parts: StringPart[], holes: Node[]): void {
    const start = node.firstChild;
    const end = node.lastChild?.type === 'string_end' ? node.lastChild : null;
    if (!start || start.type !== 'string_start') return;
    const flags = pythonStringFlags(start.text);
    const host = this.text;
    let cursor = start.endIndex;
    const literal = (to: number): void => {
      const from = cursor;
      if (to > from) {
        parts.push({
          kind: 'literal',
          start: from,
          end: to,
          decode: (out) => decodePythonLiteral(host, from, to, flags, out),
        });
      }
    };
    for (const child of node.namedChildren) {
      if (child?.type !== 'interpolation') continue;
      literal(child.startIndex);
      const expression = child.childForFieldName('expression');
      parts.push({
        kind: 'hole',
        start: child.startIndex,
        end: child.endIndex,
        hole: this.interpolationKind(expression),
      });
      holes.push(child);
      cursor = child.endIndex;
    }
    literal(end ? end.startIndex : node.endIndex);
  }

  private interpolationKind(expression: Node | null): HoleKind {
    if (!expression) return 'fragment';
    const node = unwrap(expression);
    if (['conditional_expression', 'string', 'concatenated_string', 'boolean_operator'].includes(node.type))
      return 'fragment';
    if (node.type === 'binary_operator' && this.isStringish(node)) return 'fragment';
    if (node.type === 'call' && dotted(node.childForFieldName('function')).endsWith('.join')) return 'fragment';
    return 'value';
  }

  private visitCall(node: Node): boolean {
    const callee = dotted(node.childForFieldName('function'));
    const args = node.childForFieldName('arguments');
    if (calleeMatches(callee, this.settings.messageCalls)) {
      for (const child of args?.namedChildren ?? []) if (child && !this.isStringish(unwrap(child))) this.visit(child);
      return true;
    }
    const statement = calleeMatches(callee, this.settings.queryCalls.python);
    const fragment = !statement && calleeMatches(callee, this.settings.fragmentCalls.python);
    if ((!statement && !fragment) || args?.type !== 'argument_list') return false;
    const argument = this.statementArgument(args);
    if (!argument) return false;
    const context = { kind: 'call' as const, name: callee, fragment, bindsValues: false };
    const value = unwrap(argument);
    if (this.isStringish(value)) this.emit(value, context);
    else if (value.type === 'identifier') this.pending.push({ name: value.text, context });
    else this.visit(value);
    for (const child of node.namedChildren) if (child) this.visitExcept(child, argument);
    return true;
  }

  private visitExcept(node: Node, skipped: Node): void {
    if (node.id === skipped.id) return;
    if (node.startIndex <= skipped.startIndex && node.endIndex >= skipped.endIndex && node.type === 'argument_list') {
      for (const child of node.namedChildren) if (child) this.visitExcept(child, skipped);
      return;
    }
    if (node.type === 'keyword_argument' && node.childForFieldName('value')?.id === skipped.id) return;
    this.visit(node);
  }

  /** The first positional argument, or a `sql=`/`query=` keyword argument. */
  private statementArgument(args: Node): Node | undefined {
    for (const child of args.namedChildren) {
      if (!child || child.type === 'comment') continue;
      if (child.type !== 'keyword_argument') return child.type.endsWith('splat') ? undefined : child;
      if (STATEMENT_KEYWORDS.has(child.childForFieldName('name')?.text ?? ''))
        return child.childForFieldName('value') ?? undefined;
    }
    return undefined;
  }

  private collectMapping(node: Node): void {
    const mapping: MappingLiteral = { start: node.startIndex, end: node.endIndex, keys: [], values: [] };
    for (const pair of node.namedChildren) {
      if (pair?.type !== 'pair') continue;
      const key = this.plainLiteral(pair.childForFieldName('key'));
      if (key) mapping.keys.push(key);
      const value = this.plainLiteral(pair.childForFieldName('value'));
      if (value) mapping.values.push(value);
    }
    if (mapping.keys.length + mapping.values.length >= 2) this.scan.mappings.push(mapping);
  }

  private plainLiteral(node: Node | null): PlainLiteral | undefined {
    if (node?.type !== 'string' || node.namedChildren.some((c) => c?.type === 'interpolation')) return undefined;
    const start = node.firstChild;
    const end = node.lastChild;
    if (start?.type !== 'string_start' || end?.type !== 'string_end') return undefined;
    const flags = pythonStringFlags(start.text);
    if (flags.bytes) return undefined;
    const out = new MappedTextBuilder();
    decodePythonLiteral(this.text, start.endIndex, end.startIndex, flags, out);
    return { start: start.endIndex, end: end.startIndex, value: out.build().text };
  }
}
