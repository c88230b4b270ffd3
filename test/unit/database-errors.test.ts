import { describe, expect, it } from 'vitest';
import { classifyDatabaseError, isReadOnlyStatement } from '../../server/db/database-errors.js';

/** drizzle wraps a driver error as `cause` of its own "Failed query" error. */
const wrapped = (cause: object) => Object.assign(new Error('Failed query: insert …'), { cause });

describe('classifyDatabaseError', () => {
  it.each([
    [{ code: '53100', message: 'could not extend file: No space left on device' }, 'disk-full'],
    [Object.assign(new Error('write ENOSPC'), { code: 'ENOSPC' }), 'disk-full'],
    [new Error('could not write to file "pg_wal/xlogtemp.1": No space left on device'), 'disk-full'],
    [{ code: '25006', message: 'cannot execute INSERT in a read-only transaction' }, 'read-only'],
    [{ code: '58P01', message: 'could not open file "base/5/17559": No such file or directory' }, 'transient'],
    [new Error('could not open file "base/5/17559": No such file or directory'), 'transient'],
    [{ code: '57P01', message: 'terminating connection due to administrator command' }, 'unavailable'],
    [{ code: '08006', message: 'connection failure' }, 'unavailable'],
    [new Error('Connection terminated unexpectedly'), 'unavailable'],
    [{ code: '53300', message: 'sorry, too many clients already' }, 'unavailable'],
    [new Error('timeout exceeded when trying to connect'), 'unavailable'],
    [{ code: '57014', message: 'canceling statement due to statement timeout' }, 'too-slow'],
  ])('%o → %s, also when wrapped', (error, fault) => {
    expect(classifyDatabaseError(error)).toBe(fault);
    expect(classifyDatabaseError(wrapped(error))).toBe(fault);
  });

  it('leaves the request’s own errors alone', () => {
    expect(classifyDatabaseError({ code: '23505', message: 'duplicate key value' })).toBeNull();
    expect(classifyDatabaseError({ code: '22P02', message: 'invalid input syntax' })).toBeNull();
    expect(classifyDatabaseError(new Error('boom'))).toBeNull();
    expect(classifyDatabaseError(undefined)).toBeNull();
  });
});

describe('isReadOnlyStatement', () => {
  it('retries plain reads only', () => {
    expect(isReadOnlyStatement('select * from stations where id = $1')).toBe(true);
    expect(isReadOnlyStatement('  with a as (select 1) select * from a')).toBe(true);
    expect(isReadOnlyStatement('with d as (delete from x returning *) select * from d')).toBe(false);
    expect(isReadOnlyStatement('insert into x values (1)')).toBe(false);
    expect(isReadOnlyStatement('select nextval($1)')).toBe(false);
    expect(isReadOnlyStatement('select * from stations for update')).toBe(false);
  });
});
