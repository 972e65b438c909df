import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { stringify } from 'csv-stringify/sync';
import { seededRandom, type Random } from '../src/random/seededRandom.js';

/**
 * Writes fixtures/customers.csv: a made-up but realistic customer table, generated from a fixed
 * seed with no network, so the repo can ship it and the bundled model can be retrained from it.
 * Some fields need CSV quoting (cities and companies with commas, a name with quotes).
 */

export const DEFAULT_DATA_FILE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures/customers.csv');
const ROWS = 3000;
const SEED = 20240601;

const FIRST_NAMES = [
  'James', 'Mary', 'John', 'Patricia', 'Robert', 'Jennifer', 'Michael', 'Linda', 'William', 'Elizabeth', 'David', 'Barbara',
  'Richard', 'Susan', 'Joseph', 'Jessica', 'Thomas', 'Sarah', 'Charles', 'Karen', 'Daniel', 'Nancy', 'Matthew', 'Lisa',
  'Anthony', 'Betty', 'Mark', 'Sandra', 'Paul', 'Ashley', 'Steven', 'Emily', 'Andrew', 'Donna', 'Kevin', 'Michelle',
  'Brian', 'Carol', 'George', 'Amanda', 'Sofia', 'Lucas', 'Emma', 'Noah', 'Olivia', 'Liam', 'Mia', 'Hugo', 'Léa', 'Jörg',
  'Ana', 'Mateo', 'Yuki', 'Priya', 'Arjun', 'Chen', 'Fatima', 'Omar', 'Ingrid', 'Lars',
];
const NICKNAMED = ['Robert "Bob"', 'William "Bill"', 'Elizabeth "Liz"', 'Margaret "Peggy"'];
const LAST_NAMES = [
  'Smith', 'Johnson', 'Williams', 'Brown', 'Jones', 'Garcia', 'Miller', 'Davis', 'Rodriguez', 'Martinez', 'Hernandez',
  'Lopez', 'Gonzalez', 'Wilson', 'Anderson', 'Thomas', 'Taylor', 'Moore', 'Jackson', 'Martin', 'Lee', 'Perez', 'Thompson',
  'White', 'Harris', 'Sanchez', 'Clark', 'Ramirez', 'Lewis', 'Robinson', 'Walker', 'Young', 'Allen', 'King', 'Wright',
  "O'Brien", "O'Neil", 'Smith-Jones', 'Müller', 'Dubois', 'Rossi', 'Nakamura', 'Patel', 'Singh', 'Wang', 'Kowalski',
  'Larsen', 'Silva', 'Novak', 'Schmidt',
];
const PLACES: { city: string; country: string; weight: number }[] = [
  { city: 'Portland, OR', country: 'United States', weight: 6 },
  { city: 'Portland, ME', country: 'United States', weight: 2 },
  { city: 'Austin, TX', country: 'United States', weight: 6 },
  { city: 'New York, NY', country: 'United States', weight: 10 },
  { city: 'Chicago, IL', country: 'United States', weight: 7 },
  { city: 'Seattle, WA', country: 'United States', weight: 6 },
  { city: 'Denver, CO', country: 'United States', weight: 4 },
  { city: 'Boston, MA', country: 'United States', weight: 5 },
  { city: 'Toronto', country: 'Canada', weight: 5 },
  { city: 'Vancouver', country: 'Canada', weight: 3 },
  { city: 'London', country: 'United Kingdom', weight: 8 },
  { city: 'Manchester', country: 'United Kingdom', weight: 3 },
  { city: 'Paris', country: 'France', weight: 5 },
  { city: 'Lyon', country: 'France', weight: 2 },
  { city: 'Berlin', country: 'Germany', weight: 5 },
  { city: 'München', country: 'Germany', weight: 3 },
  { city: 'Madrid', country: 'Spain', weight: 3 },
  { city: 'Oslo', country: 'Norway', weight: 2 },
  { city: 'Sydney', country: 'Australia', weight: 4 },
  { city: 'Tokyo', country: 'Japan', weight: 3 },
];
const COMPANIES = ['Smith, Jones & Co', 'Acme Corp', 'Globex', 'Initech', 'Umbrella, Inc.', 'Stark Industries', 'Wayne Enterprises', 'Hooli', 'Vandelay Industries', 'Pied Piper'];
const DOMAINS = ['gmail.com', 'yahoo.com', 'outlook.com', 'proton.me', 'example.com', 'mail.com'];
const PLANS: { plan: string; weight: number; spend: (r: Random) => number }[] = [
  { plan: 'free', weight: 40, spend: () => 0 },
  { plan: 'basic', weight: 30, spend: (r) => 9.99 + Math.floor(r() * 3) * 5 },
  { plan: 'pro', weight: 22, spend: (r) => 29 + Math.round(r() * 7000) / 100 },
  { plan: 'enterprise', weight: 8, spend: (r) => 250 + Math.round(r() * 175000) / 100 },
];

function pick<T>(items: readonly T[], random: Random): T {
  return items[Math.floor(random() * items.length)]!;
}

function pickWeighted<T extends { weight: number }>(items: readonly T[], random: Random): T {
  const total = items.reduce((sum, item) => sum + item.weight, 0);
  let x = random() * total;
  for (const item of items) if ((x -= item.weight) < 0) return item;
  return items[items.length - 1]!;
}

function emailLocalPart(first: string, last: string, random: Random): string {
  const clean = (s: string) => s.replace(/"[^"]*"/g, '').normalize('NFD').replace(/[^A-Za-z]/g, '').toLowerCase();
  const f = clean(first);
  const l = clean(last);
  const style = random();
  return style < 0.5 ? `${f}.${l}` : style < 0.8 ? `${f[0]}${l}` : `${f}${l}${Math.floor(random() * 99) + 1}`;
}

function signupDate(random: Random): string {
  const start = Date.UTC(2019, 0, 1);
  const end = Date.UTC(2024, 11, 31);
  return new Date(start + Math.floor(random() * ((end - start) / 86_400_000 + 1)) * 86_400_000).toISOString().slice(0, 10);
}

/** The header and rows of the default dataset. */
export function makeCustomerRows(rows = ROWS, seed = SEED): string[][] {
  const random = seededRandom(seed);
  const header = ['customer_id', 'first_name', 'last_name', 'email', 'age', 'city', 'country', 'company', 'signup_date', 'plan', 'monthly_spend'];
  const out = [header];
  for (let i = 1; i <= rows; i++) {
    const first = random() < 0.02 ? pick(NICKNAMED, random) : pick(FIRST_NAMES, random);
    const last = pick(LAST_NAMES, random);
    const place = pickWeighted(PLACES, random);
    const plan = pickWeighted(PLANS, random);
    const age = 18 + Math.floor(Math.pow(random(), 1.4) * 62);
    const company = plan.plan === 'enterprise' || random() < 0.25 ? pick(COMPANIES, random) : '';
    out.push([
      `C${String(i).padStart(5, '0')}`,
      first,
      last,
      `${emailLocalPart(first, last, random)}@${pick(DOMAINS, random)}`,
      String(age),
      place.city,
      place.country,
      company,
      signupDate(random),
      plan.plan,
      plan.spend(random).toFixed(2),
    ]);
  }
  return out;
}

/** Writes the CSV (quoted where needed by csv-stringify) and returns its path. */
export async function writeDefaultData(file = DEFAULT_DATA_FILE): Promise<string> {
  await writeFile(file, stringify(makeCustomerRows()));
  return file;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const file = await writeDefaultData();
  process.stderr.write(`wrote ${file}\n`);
}
