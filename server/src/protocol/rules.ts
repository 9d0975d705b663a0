/**
 * The rule registry: every code a diagnostic or a report can carry, declared once with its
 * default severity, the one-line text SARIF shows and where its documentation is. The language
 * server, the CLI's SARIF, the client and the tests import it instead of repeating strings.
 */
import type { StaticDependencyCode } from '../embedded/staticReferences';
import { DEFAULT_EMBEDDED_SETTINGS } from '../embedded/settings';
import { DEFAULT_SEVERITY, FINDING_CODES, type FindingCode, type Severity } from '../sql/findings';

/** `Diagnostic.source` of everything Live Schema reports. */
export const DIAGNOSTIC_SOURCE = 'live-schema';

/** Where the rules are documented (the README's table of codes). */
export const RULES_DOCS_URI = 'https://github.com/live-schema/live-schema#what-is-reported';

export type RuleId = FindingCode | StaticDependencyCode;

export interface Rule {
  id: RuleId;
  /** Before `liveSchema.validation.severity` or `liveSchema.embedded.severities` change it. */
  defaultSeverity: Severity;
  /** One sentence: SARIF's short description. */
  text: string;
  /** What to do about it: SARIF's help text. */
  help: string;
  helpUri: string;
}

const FINDING_TEXT: Record<FindingCode, { text: string; help: string }> = {
  'syntax-error': {
    text: 'The statement does not parse in the connection’s SQL dialect.',
    help: 'Fix the statement at the marked token; the message gives the parser’s reason.',
  },
  'unknown-schema': {
    text: 'The statement names a schema the database does not have.',
    help: 'Correct the schema name, or check that the connection points at the right database.',
  },
  'unknown-table': {
    text: 'The statement names a table or view the database does not have, or a table missing from FROM.',
    help: 'Use the suggested name, add the table to FROM, or create the table in a migration.',
  },
  'unknown-column': {
    text: 'The statement names a column the referenced table does not have.',
    help: 'Use the suggested column, qualify it with the right table, or add the column in a migration.',
  },
  'ambiguous-column': {
    text: 'An unqualified column name exists in more than one table of the statement.',
    help: 'Qualify the column with its table or alias.',
  },
  'database-error': {
    text: 'The live database rejected the statement when it was prepared.',
    help: 'Read the database’s own message; the statement was PREPAREd only, never executed.',
  },
  'not-checked': {
    text: 'The statement could not be analysed (parser limits, dynamic SQL, binary or invalid text).',
    help: 'Nothing is wrong for sure; Live Schema says so instead of guessing.',
  },
  'schema-drift': {
    text: 'A name that existed before a schema change (the last one noticed, or since the baseline) and no longer does.',
    help: 'The code did not change, the schema did: update the code, or the migration that dropped or renamed the name.',
  },
  'column-count-mismatch': {
    text: 'An INSERT, a VALUES list or a UNION/INTERSECT/EXCEPT whose parts differ in their number of columns.',
    help: 'Make the column list and each VALUES row, or every branch of the set operation, the same width.',
  },
  'result-type-mismatch': {
    text: 'A query’s row type annotation in code disagrees with the columns the database describes.',
    help: 'Apply the quick fix, which writes the described row type, or correct the query.',
  },
  'unknown-function': {
    text: 'A call to a function that does not exist: offline, a name neither built in nor in a schema on the search path (PostgreSQL) or in the named or current database (MariaDB); live, no function of that name takes those arguments.',
    help: 'Use the suggested name, qualify it with the schema that has it, cast the arguments, or create the function (or its extension) in a migration.',
  },
  'type-mismatch': {
    text: 'A column compared with, or assigned, a string literal that its type can never read, which PostgreSQL rejects.',
    help: 'Use a value of the column’s type, or another column.',
  },
};

const DEPENDENCY_TEXT: Record<StaticDependencyCode, { text: string; help: string }> = {
  'hardcoded-table': {
    text: 'A string literal in code names a table or view of the schema.',
    help: 'A schema change breaks it at run time; a generated schema module makes it a compile error.',
  },
  'hardcoded-column': {
    text: 'A string literal in code names a column of the schema.',
    help: 'A schema change breaks it at run time; a generated schema module makes it a compile error.',
  },
  'static-mapping': {
    text: 'An object or dict in code maps terms to tables or columns of the schema.',
    help: 'Keep it in step with the schema, or generate it from the schema module.',
  },
  'sql-template': {
    text: 'Hard-coded SQL text in code: a schema change breaks it at run time.',
    help: 'Migrate it to a query builder over the generated schema module (live-schema migrate).',
  },
};

/** The rules `live-schema scan` reports: static dependencies of code on the schema. */
export const DEPENDENCY_RULE_IDS = Object.keys(DEPENDENCY_TEXT) as StaticDependencyCode[];

export const RULES: Record<RuleId, Rule> = {
  ...Object.fromEntries(
    FINDING_CODES.map((id) => [
      id,
      { id, defaultSeverity: DEFAULT_SEVERITY[id], ...FINDING_TEXT[id], helpUri: RULES_DOCS_URI },
    ]),
  ),
  ...Object.fromEntries(
    DEPENDENCY_RULE_IDS.map((id) => [
      id,
      {
        id,
        defaultSeverity: DEFAULT_EMBEDDED_SETTINGS.severities[id] as Severity,
        ...DEPENDENCY_TEXT[id],
        helpUri: RULES_DOCS_URI,
      },
    ]),
  ),
} as Record<RuleId, Rule>;
