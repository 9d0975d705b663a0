import assert from 'node:assert/strict';
import { test } from 'node:test';
import { normaliseColumnDefault, reportsDefaultExpressions } from '../../server/src/db/mysql/columnDefaults';

// MySQL 8 is not installed here (shared/services.md): its COLUMN_DEFAULT spellings, as documented
// and as MySQL 8.0 reports them, are checked here so both servers give the same snapshot text.

test('MySQL 8 literal defaults become quoted expressions like MariaDB reports them', () => {
  assert.equal(normaliseColumnDefault('EU', 'char(2)', '', false), "'EU'");
  assert.equal(normaliseColumnDefault("it's", 'varchar(10)', '', false), "'it''s'");
  assert.equal(normaliseColumnDefault('', 'varchar(10)', '', false), "''");
  assert.equal(normaliseColumnDefault('new', "enum('new','paid')", '', false), "'new'");
  assert.equal(normaliseColumnDefault('100.00', 'decimal(10,2)', '', false), '100.00');
  assert.equal(normaliseColumnDefault('0', 'tinyint(1)', '', false), '0');
  assert.equal(normaliseColumnDefault(null, 'int', '', false), null);
});

test('MySQL 8 expression defaults stay expressions', () => {
  assert.equal(
    normaliseColumnDefault('CURRENT_TIMESTAMP', 'timestamp', 'DEFAULT_GENERATED', false),
    'CURRENT_TIMESTAMP',
  );
  assert.equal(normaliseColumnDefault('CURRENT_TIMESTAMP(3)', 'datetime(3)', '', false), 'CURRENT_TIMESTAMP(3)');
  assert.equal(normaliseColumnDefault('(rand() * 10)', 'double', 'DEFAULT_GENERATED', false), '(rand() * 10)');
  assert.equal(normaliseColumnDefault("b'101'", 'bit(3)', '', false), "b'101'");
});

test('MariaDB defaults are already expressions; the text NULL means no default', () => {
  assert.equal(normaliseColumnDefault("'EU'", 'char(2)', '', true), "'EU'");
  assert.equal(normaliseColumnDefault('NULL', 'varchar(40)', '', true), null);
  assert.equal(normaliseColumnDefault("'NULL'", 'varchar(40)', '', true), "'NULL'");
  assert.equal(normaliseColumnDefault('current_timestamp()', 'datetime', '', true), 'current_timestamp()');
});

test('only MariaDB 10.2.7 and later report defaults as expressions', () => {
  assert.equal(reportsDefaultExpressions('mariadb', '10.11.19-MariaDB-0+deb12u1'), true);
  assert.equal(reportsDefaultExpressions('mariadb', '10.2.7-MariaDB'), true);
  assert.equal(reportsDefaultExpressions('mariadb', '10.2.6-MariaDB'), false);
  assert.equal(reportsDefaultExpressions('mysql', '8.0.36'), false);
});
