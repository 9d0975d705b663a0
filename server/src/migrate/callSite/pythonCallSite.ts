/**
 * The call site of a SQL string in Python, read from tree-sitter: the DB-API `execute` call it is
 * the first argument of, and the statement around it.
 */
import type { Node, Parser } from 'web-tree-sitter';
import { indentationAt, type CallSite, type CallSiteFinder, type CallSiteResult } from './callSite';

/** Nodes that may run their children conditionally, more than once, or later. */
const DEFERRING = new Set([
  'conditional_expression',
  'boolean_operator',
  'lambda',
  'list_comprehension',
  'generator_expression',
  'set_comprehension',
  'dictionary_comprehension',
]);

const HOST_STATEMENTS = new Set(['expression_statement', 'return_statement']);

const PLAIN_PREFIX = /^(?:[\w.,\s[\]()]+(?::[^=]+)?=\s*)?(?:return\s+)?(?:await\s+)?$/;

/** Parses the file once; the returned finder gives the call site of each SQL string in it (dispose it after). */
export function pythonCallSites(parser: Parser, text: string): CallSiteFinder {
  const tree = parser.parse(text);
  return {
    find: (sqlStart, sqlEnd) =>
      tree ? callSite(tree.rootNode, text, sqlStart, sqlEnd) : { refused: 'the file does not parse' },
    dispose: () => tree?.delete(),
  };
}

function callSite(module: Node, text: string, sqlStart: number, sqlEnd: number): CallSiteResult {
  let sql: Node | null = module.descendantForIndex(sqlStart, Math.max(sqlStart, sqlEnd - 1));
  while (sql && !(sql.startIndex === sqlStart && sql.endIndex === sqlEnd)) sql = sql.parent;
  while (sql?.parent?.type === 'parenthesized_expression') sql = sql.parent;
  if (sql?.parent?.type === 'assignment') {
    const variable = assignedOnceAndPassed(sql.parent, text);
    if ('refused' in variable) return variable;
    const site = callAround(module, text, variable.use);
    return 'refused' in site ? site : { ...site, sqlAssignment: variable.statement };
  }
  return callAround(module, text, sql);
}

/**
 * `query = "…"` in a function, then `cur.execute(query, …)`: the variable is a local the function
 * assigns once, from a string without interpolations, and uses once, after the assignment. Any
 * other mention of the name (another assignment, global/nonlocal, a nested function, an attribute
 * of that name) or a module-level variable (which other modules may import) is refused.
 */
function assignedOnceAndPassed(
  assignment: Node,
  text: string,
): { use: Node; statement: { start: number; end: number } } | { refused: string } {
  const left = assignment.childForFieldName('left');
  const right = assignment.childForFieldName('right');
  const statement = assignment.parent;
  const block = statement?.parent;
  if (left?.type !== 'identifier' || statement?.type !== 'expression_statement')
    return { refused: 'the SQL string is assigned to something other than a plain variable' };
  if (block?.type !== 'block' || block.parent?.type !== 'function_definition')
    return { refused: `the variable ${left.text} is not a local of a function: other code may use it` };
  if (right?.descendantsOfType('interpolation').some((node) => node !== null))
    return {
      refused: `the SQL in ${left.text} has interpolations, evaluated where it is assigned, not where it is run`,
    };
  const mentions = block.parent
    .descendantsOfType('identifier')
    .filter((node): node is Node => node !== null && node.text === left.text && node.id !== left.id);
  if (mentions.length !== 1)
    return {
      refused: `the variable ${left.text} is used ${mentions.length === 0 ? 'nowhere' : 'more than once or reassigned'}`,
    };
  const use = mentions[0];
  const useStatement = block.namedChildren.find(
    (child) => child !== null && child.startIndex <= use.startIndex && use.endIndex <= child.endIndex,
  );
  if (!useStatement || useStatement.startIndex < statement.endIndex)
    return { refused: `the variable ${left.text} is used before it is assigned` };
  const lineStart = text.lastIndexOf('\n', statement.startIndex - 1) + 1;
  const lineEnd = text.indexOf('\n', statement.endIndex);
  if (
    text.slice(lineStart, statement.startIndex).trim() !== '' ||
    (lineEnd >= 0 && text.slice(statement.endIndex, lineEnd).trim() !== '')
  )
    return { refused: `the assignment to ${left.text} shares its line with other code` };
  return { use, statement: { start: lineStart, end: lineEnd < 0 ? text.length : lineEnd + 1 } };
}

function callAround(module: Node, text: string, argument: Node | null): CallSiteResult {
  const args = argument?.parent;
  const call = args?.parent;
  if (!argument || args?.type !== 'argument_list' || call?.type !== 'call' || args.namedChildren[0]?.id !== argument.id)
    return { refused: 'the SQL string is not the first argument of a call' };
  const callee = call.childForFieldName('function')?.text ?? '';
  if (callee.split('.').at(-1) !== 'execute')
    return { refused: `only DB-API execute(sql, params) calls are rewritten, not ${callee}(…)` };
  const named = args.namedChildren.filter((n): n is Node => n !== null);
  if (named.length > 2 || named.some((n) => n.type !== 'comment' && /keyword_argument|splat/.test(n.type)))
    return { refused: `${callee}(…) is called with more than the SQL and the parameters` };

  let statement: Node | null = null;
  for (let node = call.parent; node; node = node.parent) {
    if (DEFERRING.has(node.type))
      return {
        refused: 'the call runs conditionally or later (inside if/else, and/or, a lambda or a comprehension)',
      };
    if (HOST_STATEMENTS.has(node.type) && (node.parent?.type === 'block' || node.parent?.type === 'module')) {
      statement = node;
      break;
    }
    if (/statement$|definition$/.test(node.type))
      return { refused: `the call stands in a ${node.type.replace(/_/g, ' ')}, not in a plain statement` };
  }
  if (!statement) return { refused: 'the call is not inside a statement' };
  if (!PLAIN_PREFIX.test(text.slice(statement.startIndex, call.startIndex)))
    return { refused: 'the call is not the first thing its statement does' };

  const values = named[1] ? valuesOf(named[1]) : undefined;
  const imports = module.namedChildren.filter(
    (n): n is Node => n !== null && (n.type === 'import_statement' || n.type === 'import_from_statement'),
  );
  const site: CallSite = {
    callee,
    argumentsStart: named[0].startIndex,
    argumentsEnd: named.at(-1)!.endIndex,
    ...(values ? { values } : {}),
    statementStart: statement.startIndex,
    indentation: indentationAt(text, statement.startIndex),
    importOffset: imports.length > 0 ? lineEndAfter(text, imports.at(-1)!.endIndex) : docstringEnd(module, text),
    boundNames: topLevelNames(module),
  };
  return site;
}

function valuesOf(node: Node): CallSite['values'] {
  let inner = node;
  while (inner.type === 'parenthesized_expression' && inner.namedChildren[0]) inner = inner.namedChildren[0];
  const children = inner.namedChildren.filter((n): n is Node => n !== null && n.type !== 'comment');
  if ((inner.type === 'tuple' || inner.type === 'list') && children.every((c) => c.type !== 'list_splat'))
    return { kind: 'positional', elements: children.map((c) => c.text) };
  if (inner.type === 'dictionary' && children.every((c) => c.type === 'pair')) {
    const entries: Record<string, string> = {};
    for (const pair of children) {
      const key = pair.childForFieldName('key');
      const value = pair.childForFieldName('value');
      const name = key?.type === 'string' ? /^['"](\w+)['"]$/.exec(key.text)?.[1] : undefined;
      if (!name || !value) return { kind: 'expression', text: node.text };
      entries[name] = value.text;
    }
    return { kind: 'named', entries };
  }
  // A parenthesised single value `(x)` is not a tuple: the driver would reject it, so would we.
  return { kind: 'expression', text: node.text };
}

function lineEndAfter(text: string, offset: number): number {
  const newline = text.indexOf('\n', offset);
  return newline < 0 ? text.length : newline + 1;
}

/** After a module docstring (imports must follow it), else the start. */
function docstringEnd(module: Node, text: string): number {
  const first = module.namedChildren[0];
  if (first?.type === 'expression_statement' && first.namedChildren[0]?.type === 'string')
    return lineEndAfter(text, first.endIndex);
  return 0;
}

function topLevelNames(module: Node): Set<string> {
  const names = new Set<string>();
  for (const statement of module.namedChildren) {
    if (!statement) continue;
    if (statement.type === 'import_statement' || statement.type === 'import_from_statement') {
      for (const name of statement.descendantsOfType(['dotted_name', 'aliased_import'])) {
        if (!name) continue;
        const alias = name.type === 'aliased_import' ? name.childForFieldName('alias')?.text : undefined;
        names.add(alias ?? name.text.split('.')[0]);
      }
    } else if (statement.type === 'expression_statement') {
      const left = statement.namedChildren[0]?.childForFieldName('left');
      if (left?.type === 'identifier') names.add(left.text);
    } else {
      const name = statement.childForFieldName('name');
      if (name) names.add(name.text);
    }
  }
  return names;
}
