/**
 * How a SQL string reaches its query call in TypeScript/JavaScript, where the data flow is
 * provable: as the call's first argument, as the SQL of a driver config object
 * (`pool.query({ text: '…', values })`, mysql2's `{ sql, values }`), or through a variable declared
 * once from constant text and used exactly once, in one of those places, later in the same scope
 * (`const sql = '…'; await pool.query(sql, [a])`). Anything else is refused with the reason.
 */
import type { Node } from '@babel/types';

export type AnyNode = Node & Record<string, unknown>;

export const isNode = (value: unknown): value is AnyNode =>
  typeof value === 'object' && value !== null && typeof (value as { type?: unknown }).type === 'string';

/** Wrappers that pass their expression's value through unchanged. */
const TRANSPARENT = new Set([
  'TSAsExpression',
  'TSSatisfiesExpression',
  'TSNonNullExpression',
  'ParenthesizedExpression',
]);

/** The keys a driver config object takes its SQL under: node-postgres `text`, mysql2 `sql`. */
const SQL_KEYS = new Set(['text', 'sql']);

const FUNCTIONS = new Set([
  'FunctionDeclaration',
  'FunctionExpression',
  'ArrowFunctionExpression',
  'ObjectMethod',
  'ClassMethod',
  'ClassPrivateMethod',
]);

export interface SqlSource {
  /** Ancestors from the program to the call's first argument (the call last but one). */
  path: AnyNode[];
  /** The first argument is a config object holding the SQL under this key, and maybe `values`. */
  config?: { key: string; values?: AnyNode };
  /** Whole lines of the variable's declaration, which the migration removes. */
  sqlAssignment?: { start: number; end: number };
}

const NOT_AN_ARGUMENT = 'the SQL string is not the first argument of a call';

/** Where the SQL string at [start, end) goes, or why the migration cannot follow it. */
export function sqlSource(program: AnyNode, text: string, start: number, end: number): SqlSource | { refused: string } {
  const path = pathToSpan(program, start, end);
  if (!path) return { refused: NOT_AN_ARGUMENT };
  let top = path.length - 1;
  while (TRANSPARENT.has(path[top - 1]?.type) && path[top - 1].expression === path[top]) top--;
  const declarator = path[top - 1];
  if (declarator?.type === 'VariableDeclarator' && declarator.init === path[top]) {
    const variable = declaredOnceUsedOnce(path.slice(0, top + 1), text);
    if ('refused' in variable) return variable;
    const use = usePlace(variable.usePath);
    if ('refused' in use) return use;
    return { ...use, sqlAssignment: variable.lines };
  }
  return usePlace(path);
}

/** The call the value at the end of `path` is passed to: directly, or as a config object's SQL. */
function usePlace(path: AnyNode[]): SqlSource | { refused: string } {
  let index = path.length - 1;
  while (TRANSPARENT.has(path[index - 1]?.type) && path[index - 1].expression === path[index]) index--;
  const parent = path[index - 1];
  if (isCallWithFirstArgument(parent, path[index])) return { path: path.slice(0, index + 1) };
  if (parent?.type !== 'ObjectProperty' || parent.value !== path[index]) return { refused: NOT_AN_ARGUMENT };
  let objectIndex = index - 2;
  while (TRANSPARENT.has(path[objectIndex - 1]?.type)) objectIndex--;
  const call = path[objectIndex - 1];
  if (path[index - 2]?.type !== 'ObjectExpression' || !isCallWithFirstArgument(call, path[objectIndex]))
    return { refused: NOT_AN_ARGUMENT };
  const config = configObject(path[index - 2]);
  if ('refused' in config) return config;
  if (keyName(parent) !== config.key) return { refused: NOT_AN_ARGUMENT };
  if ((call.arguments as unknown[]).length !== 1) return { refused: 'the call passes more than its config object' };
  return { path: path.slice(0, objectIndex + 1), config };
}

function isCallWithFirstArgument(call: AnyNode | undefined, argument: AnyNode): boolean {
  return (
    (call?.type === 'CallExpression' || call?.type === 'OptionalCallExpression') &&
    (call.arguments as AnyNode[])[0] === argument
  );
}

function keyName(property: AnyNode): string | undefined {
  if (property.computed) return undefined;
  const key = property.key as AnyNode;
  if (key.type === 'Identifier') return key.name;
  return key.type === 'StringLiteral' ? key.value : undefined;
}

/** `{ text, values }`: the SQL key and the values, nothing else (rowMode, name or types change what runs). */
function configObject(object: AnyNode): { key: string; values?: AnyNode } | { refused: string } {
  const keys: string[] = [];
  let values: AnyNode | undefined;
  for (const property of object.properties as AnyNode[]) {
    const name = property.type === 'ObjectProperty' ? keyName(property) : undefined;
    if (name === undefined) return { refused: 'the config object is spread or computed' };
    keys.push(name);
    if (name === 'values') values = property.value as AnyNode;
  }
  const sqlKeys = keys.filter((key) => SQL_KEYS.has(key));
  const others = keys.filter((key) => !SQL_KEYS.has(key) && key !== 'values');
  if (sqlKeys.length !== 1 || others.length > 0)
    return { refused: `the config object holds more than the SQL text and its values (${keys.join(', ')})` };
  return { key: sqlKeys[0], ...(values ? { values } : {}) };
}

/**
 * The variable whose initialiser ends `path`: declared alone, not exported, from constant text,
 * never written again, and read exactly once, after its declaration and in its own function. The
 * SQL then moves to that one use unchanged, so the declaration can go.
 */
function declaredOnceUsedOnce(
  path: AnyNode[],
  text: string,
): { usePath: AnyNode[]; lines: { start: number; end: number } } | { refused: string } {
  const declarator = path.at(-2)!;
  const declaration = path.at(-3)!;
  const holder = path.at(-4);
  const id = declarator.id as AnyNode;
  if (id.type !== 'Identifier') return { refused: 'the SQL string is destructured, not held in a plain variable' };
  const name = id.name;
  if (holder?.type === 'ExportNamedDeclaration')
    return { refused: `the variable ${name} is exported: other modules may use it` };
  if ((declaration.declarations as unknown[]).length !== 1)
    return { refused: `the variable ${name} is declared together with other variables` };
  if (!['const', 'let', 'var'].includes(declaration.kind as string) || !isStatementList(holder))
    return { refused: `the variable ${name} is not declared by a plain statement` };
  if (!isConstantText(declarator.init as AnyNode))
    return { refused: `the SQL in ${name} is built from values evaluated where it is declared, not where it is run` };

  const holderIndex = declaration.kind === 'var' ? functionScopeIndex(path) : path.length - 4;
  // The cases of a switch share one scope: the switch's.
  const scopeIndex = path[holderIndex].type === 'SwitchCase' ? holderIndex - 1 : holderIndex;
  const mentions: AnyNode[][] = [];
  collectMentions(path[scopeIndex], name, path.slice(0, scopeIndex + 1), mentions, id);
  const written = mentions.find((mention) => isWrite(mention));
  if (written) {
    const exported = written.at(-2)?.type === 'ExportSpecifier';
    return { refused: `the variable ${name} is ${exported ? 'exported: other modules may use it' : 'reassigned'}` };
  }
  if (mentions.length !== 1)
    return { refused: `the variable ${name} is used ${mentions.length === 0 ? 'nowhere' : 'more than once'}` };
  const usePath = mentions[0];
  if ((usePath.at(-1)!.start as number) < (declaration.end as number))
    return { refused: `the variable ${name} is used before it is declared` };
  if (usePath.slice(scopeIndex + 1).some((node) => FUNCTIONS.has(node.type)))
    return { refused: `the variable ${name} is used in a nested function, which may run before it is declared` };
  const lines = wholeLines(text, declaration.start as number, declaration.end as number);
  if (!lines) return { refused: `the declaration of ${name} shares its line with other code` };
  return { usePath, lines };
}

function isStatementList(node: AnyNode | undefined): boolean {
  return node?.type === 'Program' || node?.type === 'BlockStatement' || node?.type === 'SwitchCase';
}

/** Text fixed in the source: string literals, templates without `${…}`, and `+` of those. */
function isConstantText(node: AnyNode): boolean {
  if (TRANSPARENT.has(node.type)) return isConstantText(node.expression as AnyNode);
  if (node.type === 'StringLiteral') return true;
  if (node.type === 'TemplateLiteral') return (node.expressions as unknown[]).length === 0;
  return (
    node.type === 'BinaryExpression' &&
    node.operator === '+' &&
    isConstantText(node.left as AnyNode) &&
    isConstantText(node.right as AnyNode)
  );
}

function functionScopeIndex(path: AnyNode[]): number {
  for (let i = path.length - 2; i > 0; i--) if (FUNCTIONS.has(path[i].type)) return i;
  return 0;
}

/** A name as a write: assigned, updated, or exported under some name. */
function isWrite(mention: AnyNode[]): boolean {
  const [node, parent] = [mention.at(-1)!, mention.at(-2)];
  if (parent?.type === 'ExportSpecifier') return true;
  if (parent?.type === 'UpdateExpression') return true;
  return parent?.type === 'AssignmentExpression' && parent.left === node;
}

/** Identifier nodes naming a property, a label or a type rather than a variable. */
function isNonReference(node: AnyNode, parent: AnyNode | undefined): boolean {
  if (!parent) return false;
  const key = parent.key === node && !parent.computed;
  switch (parent.type) {
    case 'MemberExpression':
    case 'OptionalMemberExpression':
      return parent.property === node && !parent.computed;
    case 'ObjectProperty':
      // A shorthand `{ sql }` holds the name twice: the key is skipped, its value is the reference.
      return key;
    case 'ObjectMethod':
    case 'ClassMethod':
    case 'ClassProperty':
    case 'ClassAccessorProperty':
    case 'TSPropertySignature':
    case 'TSMethodSignature':
      return key;
    case 'LabeledStatement':
    case 'BreakStatement':
    case 'ContinueStatement':
      return parent.label === node;
    case 'TSTypeReference':
    case 'TSQualifiedName':
      return true;
    default:
      return false;
  }
}

/** Every path (from the program) to an identifier that refers to `name`, except the declaration's own. */
function collectMentions(node: AnyNode, name: string, path: AnyNode[], into: AnyNode[][], declared: AnyNode): void {
  for (const [key, value] of Object.entries(node)) {
    if (key === 'leadingComments' || key === 'trailingComments' || key === 'innerComments') continue;
    for (const child of Array.isArray(value) ? value : [value]) {
      if (!isNode(child)) continue;
      const childPath = [...path, child];
      if (child.type === 'Identifier' && child.name === name) {
        if (child !== declared && !isNonReference(child, node)) into.push(childPath);
      } else collectMentions(child, name, childPath, into, declared);
    }
  }
}

/** The whole lines of [start, end) (line break included), or undefined when other code shares them. */
function wholeLines(text: string, start: number, end: number): { start: number; end: number } | undefined {
  const lineStart = text.lastIndexOf('\n', start - 1) + 1;
  const lineBreak = text.indexOf('\n', end);
  const lineEnd = lineBreak < 0 ? text.length : lineBreak;
  if (text.slice(lineStart, start).trim() !== '' || text.slice(end, lineEnd).trim() !== '') return undefined;
  return { start: lineStart, end: lineBreak < 0 ? text.length : lineBreak + 1 };
}

/** Ancestors from `node` to the outermost node spanning exactly [start, end), or undefined. */
function pathToSpan(node: AnyNode, start: number, end: number): AnyNode[] | undefined {
  const path: AnyNode[] = [node];
  let current = node;
  while (!(current.start === start && current.end === end)) {
    const child = childContaining(current, start, end);
    if (!child) return undefined;
    path.push(child);
    current = child;
  }
  return path;
}

function childContaining(node: AnyNode, start: number, end: number): AnyNode | undefined {
  for (const [key, value] of Object.entries(node)) {
    if (key === 'leadingComments' || key === 'trailingComments' || key === 'innerComments') continue;
    for (const child of Array.isArray(value) ? value : [value]) {
      if (isNode(child) && (child.start as number) <= start && (child.end as number) >= end) return child;
    }
  }
  return undefined;
}
