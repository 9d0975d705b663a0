/**
 * The call site of a SQL string in TypeScript/JavaScript, read from Babel's syntax tree: the
 * `query`/`execute` call it is the first argument of, and the statement around it.
 */
import type { Node } from '@babel/types';
import { dottedName } from '../../embedded/hostJavaScript';
import { parseTolerantly } from '../../embedded/parseJavaScript';
import { indentationAt, type CallSite, type CallSiteFinder, type CallSiteResult } from './callSite';
import { sqlSource, type AnyNode } from './javascriptSqlSource';

/** Calls that take the SQL text and then an array of values: node-postgres and mysql2. */
const REWRITABLE_METHODS = new Set(['query', 'execute']);

/** Nodes that may run their children conditionally or more than once, or later. */
const DEFERRING = new Set([
  'ConditionalExpression',
  'LogicalExpression',
  'ArrowFunctionExpression',
  'FunctionExpression',
  'OptionalCallExpression',
  'OptionalMemberExpression',
]);

/** Statements a compiled query can be declared in front of. */
const HOST_STATEMENTS = new Set(['ExpressionStatement', 'VariableDeclaration', 'ReturnStatement']);

const PLAIN_PREFIX = /^(?:(?:export\s+)?(?:const|let|var)\s+[^=]+=\s*|[\w$.]+\s*=\s*)?(?:return\s+)?(?:await\s+)?$/;

const unwrapExpression = (node: AnyNode): AnyNode => {
  let current = node;
  while (
    ['TSAsExpression', 'TSSatisfiesExpression', 'TSNonNullExpression', 'ParenthesizedExpression'].includes(current.type)
  )
    current = current.expression as AnyNode;
  return current;
};

/** Parses the file once; the returned finder gives the call site of each SQL string in it. */
export function javascriptCallSites(fileName: string, text: string): CallSiteFinder {
  const parsed = parseTolerantly(fileName, text, []);
  return {
    find: (sqlStart, sqlEnd) =>
      parsed ? callSite(parsed.program as AnyNode, text, sqlStart, sqlEnd) : { refused: 'the file does not parse' },
    dispose: () => undefined,
  };
}

function callSite(program: AnyNode, text: string, sqlStart: number, sqlEnd: number): CallSiteResult {
  const source = sqlSource(program, text, sqlStart, sqlEnd);
  if ('refused' in source) return source;
  const { path, config, sqlAssignment } = source;
  const callIndex = path.length - 2;
  const call = path[callIndex];
  if (call.type === 'OptionalCallExpression')
    return { refused: 'the call runs conditionally or later (it is an optional call, ?.)' };
  const callee = dottedName(call.callee as Node);
  if (!REWRITABLE_METHODS.has(callee.split('.').at(-1) ?? ''))
    return { refused: `only query(text, values) and execute(text, values) calls are rewritten, not ${callee}(…)` };
  const args = call.arguments as AnyNode[];
  if (args.length > 2 || args.some((a) => a.type === 'SpreadElement'))
    return { refused: `${callee}(…) is called with more than the text and the values` };

  let statementIndex = -1;
  for (let i = callIndex - 1; i >= 0; i--) {
    if (DEFERRING.has(path[i].type))
      return { refused: 'the call runs conditionally or later (inside ?:, &&, ?. or a function expression)' };
    if (HOST_STATEMENTS.has(path[i].type) && isStatementList(path[i - 1])) {
      statementIndex = i;
      break;
    }
    if (/Statement$|Declaration$/.test(path[i].type))
      return { refused: `the call stands in a ${path[i].type}, not in a plain statement` };
  }
  if (statementIndex < 0) return { refused: 'the call is not inside a statement' };
  const statement = path[statementIndex];
  const statementStart = statement.start as number;
  if (!PLAIN_PREFIX.test(text.slice(statementStart, (call.start as number) ?? 0)))
    return { refused: 'the call is not the first thing its statement does' };

  const valuesNode = config ? config.values : args[1];
  const values = valuesNode ? valuesOf(unwrapExpression(valuesNode), text) : undefined;
  const body = (program as AnyNode & { body: AnyNode[] }).body;
  const imports = body.filter((n) => n.type === 'ImportDeclaration');
  const site: CallSite = {
    callee,
    argumentsStart: args[0].start as number,
    argumentsEnd: args.at(-1)!.end as number,
    ...(values ? { values } : {}),
    ...(config ? { configKey: config.key } : {}),
    ...(sqlAssignment ? { sqlAssignment } : {}),
    statementStart,
    indentation: indentationAt(text, statementStart),
    importOffset: imports.length > 0 ? lineEndAfter(text, imports.at(-1)!.end as number) : 0,
    boundNames: topLevelNames(body),
  };
  return site;
}

function isStatementList(node: AnyNode | undefined): boolean {
  return node?.type === 'Program' || node?.type === 'BlockStatement' || node?.type === 'SwitchCase';
}

function valuesOf(node: AnyNode, text: string): CallSite['values'] {
  const source = (n: AnyNode) => text.slice(n.start as number, n.end as number);
  if (node.type === 'ArrayExpression') {
    const elements = node.elements as (AnyNode | null)[];
    if (elements.every((e) => e && e.type !== 'SpreadElement'))
      return { kind: 'positional', elements: elements.map((e) => source(e!)) };
  }
  return { kind: 'expression', text: source(node) };
}

function lineEndAfter(text: string, offset: number): number {
  const newline = text.indexOf('\n', offset);
  return newline < 0 ? text.length : newline + 1;
}

function topLevelNames(body: AnyNode[]): Set<string> {
  const names = new Set<string>();
  for (const statement of body) {
    const declaration = statement.type === 'ExportNamedDeclaration' ? (statement.declaration as AnyNode) : statement;
    if (!declaration) continue;
    if (declaration.type === 'ImportDeclaration') {
      for (const specifier of declaration.specifiers as AnyNode[])
        names.add((specifier.local as { name: string }).name);
    } else if (declaration.type === 'VariableDeclaration') {
      for (const d of declaration.declarations as AnyNode[])
        if ((d.id as AnyNode).type === 'Identifier') names.add((d.id as { name: string }).name);
    } else if (declaration.id && (declaration.id as AnyNode).type === 'Identifier') {
      names.add((declaration.id as { name: string }).name);
    }
  }
  return names;
}
