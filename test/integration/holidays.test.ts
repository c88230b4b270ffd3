/**
 * The holiday calendar as data: seeded from chinese-days (published through 2026), an instant
 * after that is flagged in every hours state, and admins publish 2027 (.ics) and 2028 (CSV).
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../server/config.js';
import { createUser, loginAs, type LoggedIn } from '../setup/auth.js';
import { newStation } from '../setup/factories.js';
import { startTestServer, type TestServer } from '../setup/server.js';

const FIXTURES = path.join(REPO_ROOT, 'test', 'fixtures', 'holidays');
const ICS_2027 = fs.readFileSync(path.join(FIXTURES, '2027-cn.ics'), 'utf8');
const CSV_2028 = fs.readFileSync(path.join(FIXTURES, '2028-cn.csv'), 'utf8');
/** 10:00 Beijing time on 初一 of 2027 (a Saturday). */
const SPRING_FESTIVAL_2027 = '2027-02-06T10:00:00+08:00';

let server: TestServer;
let admin: LoggedIn;
let planner: LoggedIn;
let stationId: number;

beforeAll(async () => {
  server = await startTestServer();
  const db = server.database.handle.db;
  const station = await newStation(db, {
    lng: 116.4015,
    lat: 39.9087,
    name: '节假日休息驿站',
    opening_hours: 'Mo-Su 08:00-18:00; PH off',
  });
  stationId = station.id;
  await createUser(db, { username: 'admin1', password: 'admin-password-1', role: 'admin' });
  await createUser(db, { username: 'plan1', password: 'planner-password-1', role: 'planner' });
  admin = await loginAs(server, 'admin1', 'admin-password-1');
  planner = await loginAs(server, 'plan1', 'planner-password-1');
});

afterAll(async () => {
  await server?.close();
});

const nearestAt = async (at: string) => {
  const res = await server.get(
    `/api/nearest?lng=116.4015&lat=39.9087&k=1&open=any&at=${encodeURIComponent(at)}`,
  );
  expect(res.status).toBe(200);
  return res.body.features.find((f: any) => f.id === stationId || f.properties?.id === stationId)
    .properties;
};

const upload = (body: string, query: string, auth?: LoggedIn, type = 'text/calendar') =>
  server.request(`/api/holidays/import${query}`, {
    method: 'POST',
    headers: { ...(auth ? { cookie: auth.cookie, 'x-csrf-token': auth.csrfToken } : {}), 'content-type': type },
    body,
  });

describe('before 2027 is published', () => {
  it('says in /api/meta how far the calendar is published, and the zone', async () => {
    const meta = (await server.get('/api/meta')).body;
    expect(meta.time_zone).toBe('Asia/Shanghai');
    expect(meta.holiday_calendar).toMatchObject({ calendar: 'cn', published_through: '2026-12-31' });
  });

  it('does not promise a `PH off` station open on 春节 2027: closed, provisional, holidays unknown', async () => {
    const item = await nearestAt(SPRING_FESTIVAL_2027);
    expect(item.open_now).toBe(false);
    expect(item.holidays_known).toBe(false);
    expect(item.holiday).toMatchObject({ name: '春节', provisional: true });
    expect(item.state_text_zh).toContain('春节');
  });

  it('flags the manager preview (station sheet shape) for a 2027 instant', async () => {
    const res = await server.request('/api/hours/validate', {
      method: 'POST',
      headers: admin.headers,
      body: JSON.stringify({ opening_hours: 'Mo-Su 08:00-18:00; PH off', at: SPRING_FESTIVAL_2027 }),
    });
    expect(res.status).toBe(200);
    expect(res.body.preview.now).toMatchObject({ open: false, holidays_known: false });
    expect(res.body.preview.holiday_calendar.published_through).toBe('2026-12-31');
    expect(res.body.preview.week.some((d: any) => d.holidaysKnown === false)).toBe(true);
  });

  it('lists 2027 as provisional festivals only', async () => {
    const res = await server.get('/api/holidays?year=2027');
    expect(res.body).toMatchObject({ year: 2027, holidays_known: false, days: [] });
    expect(res.body.provisional.map((d: any) => d.date)).toContain('2027-02-06');
  });
});

describe('POST /api/holidays/import', () => {
  it('is for admins only: 401 anonymous, 403 for a planner', async () => {
    expect((await upload(ICS_2027, '')).status).toBe(401);
    expect((await upload(ICS_2027, '', planner)).status).toBe(403);
    expect((await server.get('/api/meta')).body.holiday_calendar.published_through).toBe('2026-12-31');
  });

  it('refuses a broken file whole, naming the problems', async () => {
    const broken = ICS_2027.replace('DTSTART;VALUE=DATE:20270403', 'DTSTART;VALUE=DATE:20270407');
    const res = await upload(broken, '', admin);
    expect(res.status).toBe(400);
    expect(res.body.problems.join(' ')).toMatch(/清明.*DTEND must be after DTSTART/);
    expect(res.body.committed).toBe(false);
    const csv = await upload('date,kind,name\n2027-13-01,holiday,元旦\n2027-01-02,off,元旦\n', '?format=csv', admin, 'text/csv');
    expect(csv.status).toBe(400);
    expect(csv.body.problems).toEqual([
      'line 2: date "2027-13-01" must be YYYY-MM-DD',
      'line 3: kind must be holiday or workday',
    ]);
  });

  it('previews a dry run without changing anything', async () => {
    const res = await upload(ICS_2027, '?dry_run=true&source=2027.ics', admin);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ dry_run: true, committed: false, years: [2027] });
    expect(res.body.summary).toEqual({ days: 33, holidays: 28, workdays: 5 });
    expect((await nearestAt(SPRING_FESTIVAL_2027)).holidays_known).toBe(false);
  });

  it('imports the 2027 .ics: published through 2027, 春节 official, make-up Saturday open', async () => {
    const res = await upload(ICS_2027, '?source=2027.ics', admin);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ committed: true, years: [2027], published_through: '2027-12-31' });
    expect((await server.get('/api/meta')).body.holiday_calendar.published_through).toBe('2027-12-31');

    const festival = await nearestAt(SPRING_FESTIVAL_2027);
    expect(festival).toMatchObject({ open_now: false, holidays_known: true });
    expect(festival.holiday).toEqual({ name: '春节', nameEn: 'Spring Festival' });
    // 2027-02-12 is a bridge day in the notice: off, though no statutory festival.
    expect(await nearestAt('2027-02-12T10:00:00+08:00')).toMatchObject({ open_now: false });
    const year = (await server.get('/api/holidays?year=2027')).body;
    expect(year.holidays_known).toBe(true);
    expect(year.days.find((d: any) => d.date === '2027-02-20')).toMatchObject({ kind: 'workday', name: '春节', source: '2027.ics' });
  });

  it('imports a CSV for 2028 and moves published_through on', async () => {
    const res = await upload(CSV_2028, '?source=2028.csv', admin, 'text/csv');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ committed: true, years: [2028], published_through: '2028-12-31' });
    const year = (await server.get('/api/holidays?year=2028')).body;
    expect(year.days.map((d: any) => d.date)).toEqual([
      '2028-01-01', '2028-01-22', '2028-01-24', '2028-01-25', '2028-01-26', '2028-01-27', '2028-10-01',
    ]);
    expect(year.provisional).toEqual([]);
  });
});
