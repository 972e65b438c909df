/** Deterministic "people" records (name, age, city, email) for evaluation tests. */
export function peopleRecords(count: number, seed: number): string[][] {
  let s = seed >>> 0;
  const random = (): number => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = Math.imul(s ^ (s >>> 15), s | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const names = ['Ada', 'Bo', 'Cyd', 'Dee', 'Eve', 'Fay', 'Gus', 'Hal'];
  const cities = ['Paris', 'Oslo', 'Lima', 'Rome', 'Kyiv'];
  return Array.from({ length: count }, () => {
    const name = names[Math.floor(random() * random() * names.length)]!;
    const age = String(18 + Math.floor((random() + random() + random()) * 20));
    const city = cities[Math.floor(random() * cities.length)]!;
    // Four-digit ids: unique-ish like real emails, with the same length in every sample.
    const email = `${name.toLowerCase()}${1000 + Math.floor(random() * 9000)}@example.com`;
    return [name, age, city, email];
  });
}

export const PEOPLE_HEADER = ['name', 'age', 'city', 'email'];
