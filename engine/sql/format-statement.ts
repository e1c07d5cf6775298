/**
 * Prints statements and queries back to SQL: `formatStatement(ast)` gives one line that
 * parses back to the same AST (spans aside); `{ pretty: true }` puts each clause of a query on
 * its own line and indents nested queries (CTE bodies, derived tables), for the workbench's
 * format button. Subqueries inside expressions stay on one line either way.
 */
import type {
  AlterTableOperation,
  ColumnDef,
  ColumnOption,
  Partitions,
  SqlOption,
  TableConstraint,
} from './ast-ddl.ts';
import type { Ident } from './ast-expression.ts';
import type { Query, Select, SetExpr, TableAlias, TableFactor, TableWithJoins } from './ast-query.ts';
import type { ShowFilter, Statement, TqlStatement } from './ast-statement.ts';
import {
  formatDataType,
  formatExpr,
  formatIdent,
  formatObjectName,
  formatOrderByItem,
  formatString,
  formatWindowSpec,
} from './format-expression.ts';

/** Options of `formatStatement`. */
export interface FormatOptions {
  /** One clause per line, nested queries indented by two spaces. Default: one line. */
  pretty?: boolean;
}

/** Prints a statement (without a trailing `;`). */
export function formatStatement(statement: Statement, options: FormatOptions = {}): string {
  return new StatementPrinter(options.pretty === true).statement(statement);
}

/** Prints a query on one line (used for subqueries inside expressions). */
export function formatQuery(query: Query): string {
  return new StatementPrinter(false).query(query, 0);
}

class StatementPrinter {
  private readonly pretty: boolean;

  constructor(pretty: boolean) {
    this.pretty = pretty;
  }

  /** The separator between clauses at nesting level `level`. */
  private sep(level: number): string {
    return this.pretty ? `\n${'  '.repeat(level)}` : ' ';
  }

  /** `(query)` for a nested query at `level`. */
  private nested(query: Query, level: number): string {
    if (!this.pretty) return `(${this.query(query, level)})`;
    return `(${this.sep(level + 1)}${this.query(query, level + 1)}${this.sep(level)})`;
  }

  query(query: Query, level: number): string {
    const parts: string[] = [];
    if (query.with !== null) {
      const ctes = query.with.ctes.map((cte) => {
        const columns = cte.columns.length > 0 ? ` (${cte.columns.map(formatIdent).join(', ')})` : '';
        const body = cte.body.kind === 'tql' ? `(${this.tql(cte.body)})` : this.nested(cte.body, level);
        return `${formatIdent(cte.name)}${columns} AS ${body}`;
      });
      parts.push(`WITH ${query.with.recursive ? 'RECURSIVE ' : ''}${ctes.join(`,${this.sep(level)}`)}`);
    }
    parts.push(this.setExpr(query.body, level));
    if (query.orderBy.length > 0) parts.push(`ORDER BY ${query.orderBy.map(formatOrderByItem).join(', ')}`);
    if (query.limit !== null) parts.push(`LIMIT ${formatExpr(query.limit)}`);
    if (query.offset !== null) parts.push(`OFFSET ${formatExpr(query.offset)}`);
    return parts.join(this.sep(level));
  }

  private setExpr(body: SetExpr, level: number): string {
    switch (body.kind) {
      case 'select':
        return this.select(body, level);
      case 'values':
        return `VALUES ${body.rows.map((row) => `(${row.map(formatExpr).join(', ')})`).join(', ')}`;
      case 'query':
        return this.nested(body, level);
      case 'set-operation': {
        const quantifier = body.quantifier === null ? '' : ` ${body.quantifier}`;
        const sep = this.sep(level);
        return `${this.setExpr(body.left, level)}${sep}${body.op}${quantifier}${sep}${this.setExpr(body.right, level)}`;
      }
    }
  }

  private select(select: Select, level: number): string {
    const sep = this.sep(level);
    let head = 'SELECT';
    if (select.distinct !== null) {
      head +=
        select.distinct.on === null ? ' DISTINCT' : ` DISTINCT ON (${select.distinct.on.map(formatExpr).join(', ')})`;
    }
    const items = select.projection.map((item) => {
      if (item.kind === 'wildcard') return item.qualifier === null ? '*' : `${formatObjectName(item.qualifier)}.*`;
      return item.alias === null ? formatExpr(item.expr) : `${formatExpr(item.expr)} AS ${formatIdent(item.alias)}`;
    });
    const parts = [`${head} ${items.join(', ')}`];
    if (select.from.length > 0)
      parts.push(`FROM ${select.from.map((from) => this.tableWithJoins(from, level)).join(', ')}`);
    if (select.where !== null) parts.push(`WHERE ${formatExpr(select.where)}`);
    if (select.groupBy === 'all') parts.push('GROUP BY ALL');
    else if (select.groupBy.length > 0) parts.push(`GROUP BY ${select.groupBy.map(formatExpr).join(', ')}`);
    if (select.align !== null) {
      const align = select.align;
      let text = `ALIGN ${align.interval.kind === 'string' ? formatExpr(align.interval) : `(${formatExpr(align.interval)})`}`;
      if (align.to !== null) {
        const to = align.to;
        if (to.kind === 'string') text += ` TO ${formatExpr(to)}`;
        else if (to.kind === 'identifier' && to.parts.length === 1) text += ` TO ${to.parts[0].text}`;
        else text += ` TO (${formatExpr(to)})`;
      }
      if (align.by !== null) text += ` BY (${align.by.map(formatExpr).join(', ')})`;
      if (align.fill !== null) text += ` FILL ${align.fill}`;
      parts.push(text);
    }
    if (select.having !== null) parts.push(`HAVING ${formatExpr(select.having)}`);
    if (select.windows.length > 0) {
      parts.push(
        `WINDOW ${select.windows.map((w) => `${formatIdent(w.name)} AS ${formatWindowSpec(w.spec)}`).join(', ')}`,
      );
    }
    if (select.qualify !== null) parts.push(`QUALIFY ${formatExpr(select.qualify)}`);
    return parts.join(sep);
  }

  private tableWithJoins(from: TableWithJoins, level: number): string {
    let text = this.tableFactor(from.relation, level);
    for (const join of from.joins) {
      const natural = join.constraint.kind === 'natural' ? 'NATURAL ' : '';
      const keyword = join.type === 'INNER' ? 'JOIN' : `${join.type} JOIN`;
      text += `${this.sep(level)}${natural}${keyword} ${this.tableFactor(join.relation, level)}`;
      if (join.constraint.kind === 'on') text += ` ON ${formatExpr(join.constraint.expr)}`;
      if (join.constraint.kind === 'using') text += ` USING (${join.constraint.columns.map(formatIdent).join(', ')})`;
    }
    return text;
  }

  private tableFactor(factor: TableFactor, level: number): string {
    switch (factor.kind) {
      case 'table':
        return formatObjectName(factor.name) + tableAlias(factor.alias);
      case 'derived':
        return `${factor.lateral ? 'LATERAL ' : ''}${this.nested(factor.query, level)}${tableAlias(factor.alias)}`;
      case 'table-function':
        return `${formatObjectName(factor.name)}(${factor.args.map(formatExpr).join(', ')})${tableAlias(factor.alias)}`;
      case 'nested-join':
        return `(${this.tableWithJoins(factor.join, level)})${tableAlias(factor.alias)}`;
    }
  }

  tql(tql: TqlStatement): string {
    let text = `TQL ${tql.mode}`;
    if (tql.verbose) text += ' VERBOSE';
    if (tql.format !== null) text += ` FORMAT ${tql.format}`;
    if (!tql.defaults) {
      const params = [tql.start, tql.end, tql.step, ...(tql.lookback === null ? [] : [tql.lookback])];
      text += ` (${params.map(formatExpr).join(', ')})`;
    } else if (tql.query.startsWith('(')) {
      // Without parameters, a query in parentheses would read as the parameter list.
      text += ' ,';
    }
    text += ` ${tql.query}`;
    if (tql.alias !== null) text += ` AS ${formatIdent(tql.alias)}`;
    return text;
  }

  statement(statement: Statement): string {
    switch (statement.kind) {
      case 'query':
        return this.query(statement, 0);
      case 'insert': {
        const columns = statement.columns.length > 0 ? ` (${statement.columns.map(formatIdent).join(', ')})` : '';
        const verb = statement.replace ? 'REPLACE' : 'INSERT';
        return `${verb} INTO ${formatObjectName(statement.table)}${columns}${this.sep(0)}${this.query(statement.source, 0)}`;
      }
      case 'delete':
        return `DELETE FROM ${formatObjectName(statement.table)}${statement.where === null ? '' : ` WHERE ${formatExpr(statement.where)}`}`;
      case 'truncate': {
        const ranges = statement.ranges.map((range) => `(${formatExpr(range.start)}, ${formatExpr(range.end)})`);
        const fileRange = ranges.length > 0 ? ` FILE RANGE ${ranges.join(', ')}` : '';
        return `TRUNCATE TABLE ${formatObjectName(statement.table)}${fileRange}`;
      }
      case 'comment': {
        const text = statement.comment === null ? 'NULL' : formatString(statement.comment);
        return `COMMENT ON ${statement.objectType} ${formatObjectName(statement.name)} IS ${text}`;
      }
      case 'create-database':
        return `CREATE DATABASE ${ifNotExists(statement.ifNotExists)}${formatObjectName(statement.name)}${withOptions(statement.options)}`;
      case 'create-table':
        return this.createTable(statement);
      case 'create-table-like':
        return `CREATE TABLE ${ifNotExists(statement.ifNotExists)}${formatObjectName(statement.name)} LIKE ${formatObjectName(statement.source)}`;
      case 'create-view': {
        const columns = statement.columns.length > 0 ? ` (${statement.columns.map(formatIdent).join(', ')})` : '';
        const orReplace = statement.orReplace ? 'OR REPLACE ' : '';
        return `CREATE ${orReplace}VIEW ${ifNotExists(statement.ifNotExists)}${formatObjectName(statement.name)}${columns} AS${this.sep(0)}${this.query(statement.query, 0)}`;
      }
      case 'drop':
        return `DROP ${statement.objectType} ${statement.ifExists ? 'IF EXISTS ' : ''}${statement.names.map(formatObjectName).join(', ')}`;
      case 'alter-table':
        return `ALTER TABLE ${formatObjectName(statement.name)} ${alterTableOperation(statement.operation)}${withOptions(statement.options)}`;
      case 'alter-database': {
        const operation = statement.operation;
        const body =
          operation.kind === 'set-options'
            ? `SET ${operation.options.map(formatOption).join(', ')}`
            : `UNSET ${operation.keys.map((key) => formatString(key)).join(', ')}`;
        return `ALTER DATABASE ${formatObjectName(statement.name)} ${body}`;
      }
      case 'show-databases':
        return `SHOW ${statement.full ? 'FULL ' : ''}DATABASES${showFilter(statement.filter)}`;
      case 'show-tables':
        return `SHOW ${statement.full ? 'FULL ' : ''}TABLES${fromDatabase(statement.database)}${showFilter(statement.filter)}`;
      case 'show-table-status':
        return `SHOW TABLE STATUS${fromDatabase(statement.database)}${showFilter(statement.filter)}`;
      case 'show-columns':
        return `SHOW ${statement.full ? 'FULL ' : ''}COLUMNS FROM ${formatIdent(statement.table)}${fromDatabase(statement.database)}${showFilter(statement.filter)}`;
      case 'show-index':
        return `SHOW INDEX FROM ${formatIdent(statement.table)}${fromDatabase(statement.database)}${showFilter(statement.filter)}`;
      case 'show-region':
        return `SHOW REGION FROM ${formatIdent(statement.table)}${fromDatabase(statement.database)}${showFilter(statement.filter)}`;
      case 'show-views':
        return `SHOW VIEWS${fromDatabase(statement.database)}${showFilter(statement.filter)}`;
      case 'show-flows':
        return `SHOW FLOWS${fromDatabase(statement.database)}${showFilter(statement.filter)}`;
      case 'show-create':
        return `SHOW CREATE ${statement.objectType} ${formatObjectName(statement.name)}`;
      case 'show-charset':
        return `SHOW CHARSET${showFilter(statement.filter)}`;
      case 'show-collation':
        return `SHOW COLLATION${showFilter(statement.filter)}`;
      case 'show-variables':
        return `SHOW VARIABLES ${formatObjectName(statement.name)}`;
      case 'show-status':
        return 'SHOW STATUS';
      case 'show-processlist':
        return `SHOW ${statement.full ? 'FULL ' : ''}PROCESSLIST`;
      case 'describe-table':
        return `DESCRIBE TABLE ${formatObjectName(statement.name)}`;
      case 'use':
        return `USE ${formatIdent(statement.database)}`;
      case 'set-variable': {
        const scope = statement.scope === null ? '' : `${statement.scope} `;
        const values = statement.values.map(formatExpr).join(', ');
        if (statement.syntax === 'TIME ZONE') return `SET ${scope}TIME ZONE ${values}`;
        const assign = statement.syntax === 'TO' ? ' TO ' : ' = ';
        return `SET ${scope}${formatObjectName(statement.name)}${assign}${values}`;
      }
      case 'explain': {
        let text = 'EXPLAIN';
        if (statement.analyze) text += ' ANALYZE';
        if (statement.verbose) text += ' VERBOSE';
        if (statement.format !== null) text += ` FORMAT ${statement.format}`;
        return `${text} ${this.statement(statement.statement)}`;
      }
      case 'tql':
        return this.tql(statement);
      case 'admin':
        return `ADMIN ${formatExpr(statement.call)}`;
      case 'prepare':
        return statement.statement === null
          ? `PREPARE ${formatIdent(statement.name)} FROM ${formatString(statement.source)}`
          : `PREPARE ${formatIdent(statement.name)} AS ${this.statement(statement.statement)}`;
      case 'execute':
        return `EXECUTE ${formatIdent(statement.name)}${statement.params.length > 0 ? ` USING ${statement.params.map(formatExpr).join(', ')}` : ''}`;
      case 'deallocate':
        return `DEALLOCATE ${formatIdent(statement.name)}`;
      case 'kill':
        return statement.connection ? `KILL QUERY ${statement.target}` : `KILL ${formatString(statement.target)}`;
    }
  }

  private createTable(statement: Extract<Statement, { kind: 'create-table' }>): string {
    const elements = [...statement.columns.map(formatColumnDef), ...statement.constraints.map(formatConstraint)];
    const inner = this.pretty ? `\n  ${elements.join(',\n  ')}\n` : elements.join(', ');
    let text = `CREATE ${statement.external ? 'EXTERNAL ' : ''}TABLE ${ifNotExists(statement.ifNotExists)}${formatObjectName(statement.name)} (${inner})`;
    if (statement.partitions !== null) text += `${this.sep(0)}${formatPartitions(statement.partitions)}`;
    if (statement.engine !== null) text += `${this.sep(0)}ENGINE=${statement.engine}`;
    const options = withOptions(statement.options);
    if (options !== '') text += this.pretty ? `${this.sep(0)}${options.trimStart()}` : options;
    return text;
  }
}

function tableAlias(alias: TableAlias | null): string {
  if (alias === null) return '';
  const columns = alias.columns.length > 0 ? ` (${alias.columns.map(formatIdent).join(', ')})` : '';
  return ` AS ${formatIdent(alias.name)}${columns}`;
}

function ifNotExists(flag: boolean): string {
  return flag ? 'IF NOT EXISTS ' : '';
}

function formatOption(option: SqlOption): string {
  return `${formatString(option.key)} = ${formatExpr(option.value)}`;
}

function withOptions(options: SqlOption[]): string {
  return options.length === 0 ? '' : ` WITH (${options.map(formatOption).join(', ')})`;
}

function fromDatabase(database: Ident | null): string {
  return database === null ? '' : ` FROM ${formatIdent(database)}`;
}

function showFilter(filter: ShowFilter | null): string {
  if (filter === null) return '';
  return filter.kind === 'like' ? ` LIKE ${formatString(filter.pattern)}` : ` WHERE ${formatExpr(filter.expr)}`;
}

function formatColumnOption(option: ColumnOption): string {
  switch (option.kind) {
    case 'null':
      return 'NULL';
    case 'not-null':
      return 'NOT NULL';
    case 'default':
      return `DEFAULT ${formatExpr(option.value)}`;
    case 'primary-key':
      return 'PRIMARY KEY';
    case 'time-index':
      return 'TIME INDEX';
    case 'unique':
      return 'UNIQUE';
    case 'comment':
      return `COMMENT ${formatString(option.text)}`;
    case 'index':
      return `${option.indexType} INDEX${withOptions(option.options)}`;
  }
}

/** `name TYPE options...`. */
export function formatColumnDef(column: ColumnDef): string {
  return [formatIdent(column.name), formatDataType(column.dataType), ...column.options.map(formatColumnOption)].join(
    ' ',
  );
}

function formatConstraint(constraint: TableConstraint): string {
  if (constraint.kind === 'time-index') return `TIME INDEX (${formatIdent(constraint.column)})`;
  return `PRIMARY KEY (${constraint.columns.map(formatIdent).join(', ')})`;
}

function formatPartitions(partitions: Partitions): string {
  const columns = partitions.columns.map(formatIdent).join(', ');
  return `PARTITION ON COLUMNS (${columns}) (${partitions.rules.map(formatExpr).join(', ')})`;
}

function alterTableOperation(operation: AlterTableOperation): string {
  switch (operation.kind) {
    case 'add-columns':
      return operation.columns
        .map((add) => {
          let text = `ADD COLUMN ${add.ifNotExists ? 'IF NOT EXISTS ' : ''}${formatColumnDef(add.column)}`;
          if (add.location?.kind === 'first') text += ' FIRST';
          if (add.location?.kind === 'after') text += ` AFTER ${formatIdent(add.location.column)}`;
          return text;
        })
        .join(', ');
    case 'add-constraint':
      return `ADD ${formatConstraint(operation.constraint)}`;
    case 'drop-column':
      return `DROP COLUMN ${formatIdent(operation.column)}`;
    case 'modify-column-type':
      return `MODIFY COLUMN ${formatIdent(operation.column)} ${formatDataType(operation.dataType)}`;
    case 'set-defaults':
      return operation.defaults
        .map((d) => `MODIFY COLUMN ${formatIdent(d.column)} SET DEFAULT ${formatExpr(d.value)}`)
        .join(', ');
    case 'drop-defaults':
      return operation.columns.map((column) => `MODIFY COLUMN ${formatIdent(column)} DROP DEFAULT`).join(', ');
    case 'set-column-index':
      return `MODIFY COLUMN ${formatIdent(operation.column)} SET ${operation.indexType} INDEX${withOptions(operation.options)}`;
    case 'unset-column-index':
      return `MODIFY COLUMN ${formatIdent(operation.column)} UNSET ${operation.indexType} INDEX`;
    case 'rename-table':
      return `RENAME ${formatIdent(operation.newName)}`;
    case 'set-options':
      return `SET ${operation.options.map(formatOption).join(', ')}`;
    case 'unset-options':
      return `UNSET ${operation.keys.map((key) => formatString(key)).join(', ')}`;
    case 'partition':
      return formatPartitions(operation.partitions);
    case 'repartition': {
      const list = (exprs: typeof operation.from) => `(${exprs.map(formatExpr).join(', ')})`;
      if (operation.syntax === 'MERGE') return `MERGE PARTITION ${list(operation.from)}`;
      const columns =
        operation.columns === null ? '' : ` ON COLUMNS (${operation.columns.map(formatIdent).join(', ')})`;
      const head = operation.syntax === 'SPLIT' ? 'SPLIT PARTITION' : 'REPARTITION';
      return `${head} ${list(operation.from)}${columns} INTO ${list(operation.into)}`;
    }
  }
}
