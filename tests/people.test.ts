import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { useTestApp } from './helpers/app.ts';
import { describeCrudContract } from './helpers/crud-contract.ts';
import { addDays, dateIn } from './helpers/dates.ts';
import { keepOffMidnight } from './helpers/midnight.ts';
import { registerUser, type SignedIn } from './helpers/users.ts';
import { isLeapYear } from './helpers/wall-clock.ts';

const t = useTestApp();

describeCrudContract(t, {
  path: '/api/people',
  create: (n) => ({ name: `Person ${n}`, birthday: n % 3 ? `199${n % 10}-0${1 + (n % 9)}-1${n % 10}` : null }),
  change: { name: 'Renamed person' },
  nullable: { field: 'email', value: 'ada@example.com' },
  invalid: { payload: { email: 'not-an-email' }, path: 'email' },
  sorts: ['name', 'created_at', 'birthday'],
});

type Person = { id: string; name: string; email: string | null; birthday: string | null };

async function createPerson(user: SignedIn, payload: Record<string, unknown>): Promise<Person> {
  const response = await t.app.inject({ method: 'POST', url: '/api/people', headers: user.headers, payload });
  expect(response.statusCode, response.body).toBe(201);
  return response.json();
}

async function list(user: SignedIn, query: string): Promise<Person[]> {
  const response = await t.app.inject({ method: 'GET', url: `/api/people?${query}`, headers: user.headers });
  expect(response.statusCode, response.body).toBe(200);
  return response.json().items;
}

const names = async (user: SignedIn, query: string) => (await list(user, query)).map((person) => person.name);

/** The next birthday on or after `today`, written independently of the SQL: 29 Feb -> 28 Feb in other years. */
function nextBirthday(birthday: string, today: string): string {
  const [, month, day] = birthday.split('-');
  const onYear = (year: number) => `${year}-${month}-${month === '02' && day === '29' && !isLeapYear(year) ? '28' : day}`;
  const year = Number(today.slice(0, 4));
  return onYear(year) >= today ? onYear(year) : onYear(year + 1);
}

describe('person fields', () => {
  it('stores every field; only name is required', async () => {
    const user = await registerUser(t.app);
    const full = {
      name: 'Ada Lovelace',
      nickname: 'Ada',
      email: 'ada@example.com',
      phone: '+44 20 7946 0018 ext. 7',
      birthday: '1815-12-10',
      relationship: 'mentor',
      company: 'Analytical Engines Ltd',
      address: '12 St James Square, London',
      notes: 'Ask about the notes on the engine',
    };
    expect(await createPerson(user, full)).toMatchObject(full);
    const minimal = await createPerson(user, { name: 'Bob' });
    expect(minimal).toMatchObject({ nickname: null, email: null, phone: null, birthday: null, relationship: null, company: null, address: null, notes: null });
  });

  it('trims an email address before checking it', async () => {
    const user = await registerUser(t.app);
    expect((await createPerson(user, { name: 'Eve', email: '  eve@example.com ' })).email).toBe('eve@example.com');
  });

  it.each([
    [{ name: '' }, 'name'],
    [{ name: 'x'.repeat(201) }, 'name'],
    [{ name: 'ok', email: 'eve@' }, 'email'],
    [{ name: 'ok', email: 'two@example.com, three@example.com' }, 'email'],
    [{ name: 'ok', email: `${'e'.repeat(250)}@example.com` }, 'email'],
    [{ name: 'ok', birthday: '1990-02-29' }, 'birthday'],
    [{ name: 'ok', birthday: '10.12.1815' }, 'birthday'],
    [{ name: 'ok', relationship: 'r'.repeat(101) }, 'relationship'],
    [{ name: 'ok', nickname: 'n'.repeat(101) }, 'nickname'],
    [{ name: 'ok', phone: '1'.repeat(51) }, 'phone'],
    [{ name: 'ok', notes: 'n'.repeat(10001) }, 'notes'],
    [{ name: 'ok', age: 30 }, 'age'],
  ])('refuses %o naming %s, creating nothing', async (payload, path) => {
    const user = await registerUser(t.app);
    const response = await t.app.inject({ method: 'POST', url: '/api/people', headers: user.headers, payload });
    expect(response.statusCode).toBe(400);
    expect(response.json().errors).toEqual(expect.arrayContaining([expect.objectContaining({ path })]));
    expect((await t.app.inject({ method: 'GET', url: '/api/people', headers: user.headers })).json().total).toBe(0);
  });
});

describe('GET /api/people filters', () => {
  it('q matches name, nickname, email, phone and notes case-insensitively, but not company or address', async () => {
    const user = await registerUser(t.app);
    await createPerson(user, { name: 'Grace Hopper', nickname: 'Amazing Grace' });
    await createPerson(user, { name: 'Alan', email: 'alan.TURING@example.com' });
    await createPerson(user, { name: 'Carol', phone: '+1 555 0100' });
    await createPerson(user, { name: 'Dan', notes: 'Met at the turing lecture' });
    await createPerson(user, { name: 'Erin', company: 'Turing Inc', address: 'Grace Street 5' });
    expect(await names(user, 'q=grace')).toEqual(['Grace Hopper']);
    expect(await names(user, 'q=AMAZING')).toEqual(['Grace Hopper']);
    expect(await names(user, 'q=turing')).toEqual(['Alan', 'Dan']);
    expect(await names(user, 'q=555%200100')).toEqual(['Carol']);
    expect(await names(user, `q=${encodeURIComponent('+1 555')}`)).toEqual(['Carol']);
    expect(await names(user, 'q=%25')).toEqual([]);
  });

  it('filters by relationship and sorts by name case-insensitively', async () => {
    const user = await registerUser(t.app);
    await createPerson(user, { name: 'zoe', relationship: 'friend' });
    await createPerson(user, { name: 'Adam', relationship: 'family' });
    await createPerson(user, { name: 'Mia', relationship: 'friend' });
    await createPerson(user, { name: 'Noah' });
    expect(await names(user, '')).toEqual(['Adam', 'Mia', 'Noah', 'zoe']);
    expect(await names(user, 'sort=-name')).toEqual(['zoe', 'Noah', 'Mia', 'Adam']);
    expect(await names(user, 'sort=created_at')).toEqual(['zoe', 'Adam', 'Mia', 'Noah']);
    expect(await names(user, 'relationship=friend')).toEqual(['Mia', 'zoe']);
    expect(await names(user, 'relationship=friend&q=mi')).toEqual(['Mia']);
  });

  it.each([['relationship=' + 'r'.repeat(101), 'relationship'], ['q=', 'q'], ['sort=age', 'sort'], ['email=a', 'email']])(
    'refuses ?%s naming %s',
    async (query, path) => {
      const user = await registerUser(t.app);
      const response = await t.app.inject({ method: 'GET', url: `/api/people?${query}`, headers: user.headers });
      expect(response.statusCode).toBe(400);
      expect(response.json().errors).toEqual([expect.objectContaining({ path })]);
    },
  );
});

describe('GET /api/people?sort=birthday', () => {
  keepOffMidnight(['Pacific/Kiritimati', 'Pacific/Pago_Pago']);
  // At UTC+14 and UTC-11 "today" is rarely the server's date, so the order proves whose today it is.
  it.each(['Pacific/Kiritimati', 'Pacific/Pago_Pago'])('orders by the next birthday from today in %s, people without one last', async (zone) => {
    const user = await registerUser(t.app, { timezone: zone });
    const today = dateIn(zone);
    const inLeapYear = (date: string) => `1992${date.slice(4)}`;
    const birthdays = {
      today: inLeapYear(today),
      tomorrow: inLeapYear(addDays(today, 1)),
      yesterday: inLeapYear(addDays(today, -1)),
      'in ten days': inLeapYear(addDays(today, 10)),
      'leap day': '2000-02-29',
      '28 February': '1985-02-28',
      '1 March': '1970-03-01',
      'new year': '1999-01-01',
      'new year eve': '1999-12-31',
    };
    const people: Person[] = [];
    for (const [name, birthday] of Object.entries(birthdays)) people.push(await createPerson(user, { name, birthday }));
    people.push(await createPerson(user, { name: 'no birthday' }));
    people.push(await createPerson(user, { name: 'also no birthday' }));

    const withBirthday = people.filter((person) => person.birthday !== null);
    const key = (person: Person) => nextBirthday(person.birthday ?? '', today);
    const byNext = (a: Person, b: Person) => key(a).localeCompare(key(b)) || a.id.localeCompare(b.id);
    const undated = people.filter((person) => person.birthday === null).sort((a, b) => a.id.localeCompare(b.id));
    const expected = [...[...withBirthday].sort(byNext), ...undated].map((person) => person.name);
    const expectedDescending = [...[...withBirthday].sort((a, b) => byNext(b, a)), ...[...undated].reverse()].map((person) => person.name);

    expect((await list(user, 'sort=birthday')).map((person) => person.name)).toEqual(expected);
    expect(expected.slice(0, 2)).toEqual(['today', 'tomorrow']);
    expect((await list(user, 'sort=-birthday')).map((person) => person.name)).toEqual(expectedDescending);
    const firstPage = await list(user, 'sort=birthday&limit=3&offset=1');
    expect(firstPage.map((person) => person.name)).toEqual(expected.slice(1, 4));
  });

  it('puts a 29 February birthday on 28 February in other years', async () => {
    const next = async (birthday: string, today: string) =>
      (await sql<{ next: string }>`select next_birthday(${birthday}::date, ${today}::date) as next`.execute(t.db)).rows[0]?.next;
    expect(await next('2000-02-29', '2027-02-28')).toBe('2027-02-28');
    expect(await next('2000-02-29', '2027-03-01')).toBe('2028-02-29');
    expect(await next('2000-02-29', '2028-02-28')).toBe('2028-02-29');
    expect(await next('1990-12-31', '2026-12-31')).toBe('2026-12-31');
    expect(await next('1990-01-01', '2026-12-31')).toBe('2027-01-01');
  });

  it('ties people who share a birthday by id', async () => {
    const user = await registerUser(t.app);
    const ids: string[] = [];
    for (const year of [1980, 1990, 2000]) ids.push((await createPerson(user, { name: `born ${year}`, birthday: `${year}-06-15` })).id);
    expect((await list(user, 'sort=birthday')).map((person) => person.id)).toEqual([...ids].sort());
  });
});
