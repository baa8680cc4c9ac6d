// The stand-in's small web: ~200 generated companies plus the brands in examples/brands.csv, deterministic from a seed.
import { readFileSync } from 'node:fs';
import { seededRandom, stableHash } from '../openai/prng.js';

export interface Company {
  /** Lower-case slug, unique; also the company's host label (`<slug>.rowfill.test`). */
  readonly slug: string;
  readonly name: string;
  readonly industry: string;
  readonly founded: number;
  /** Head-office city; null for a brand whose country has no city in the generator's list. */
  readonly city: string | null;
  readonly country: string;
  /** `City, Country` or just the country. */
  readonly headquarters: string;
  readonly ceo: string;
  readonly employees: number;
  readonly products: readonly string[];
}

/** Every page the page server serves for a company, as paths on its host (the directory profile lives on DIRECTORY_HOST). */
export const COMPANY_PATHS = ['/', '/about'] as const;
/** The stand-in's domain: every host under it resolves to loopback through `standInResolver`, and nothing else does. */
export const STANDIN_DOMAIN = 'rowfill.test';
export const DIRECTORY_HOST = `directory.${STANDIN_DOMAIN}`;

const SYLLABLES = ['ar', 'bel', 'cor', 'dan', 'el', 'fen', 'gra', 'hol', 'is', 'jun', 'kel', 'lum', 'mar', 'nor', 'or', 'pel', 'quin', 'ros', 'sol', 'tam', 'ul', 'ver', 'wyn', 'zel'];
const SUFFIXES = ['Labs', 'Works', 'Systems', 'Foods', 'Outfitters', 'Analytics', 'Logistics', 'Robotics', 'Health', 'Energy', 'Textiles', 'Studio'];
const INDUSTRIES = ['software', 'consumer goods', 'food and beverage', 'apparel', 'logistics', 'industrial machinery', 'healthcare', 'renewable energy', 'retail', 'financial services'];
const CITIES: readonly (readonly [string, string])[] = [
  ['Portland', 'United States'], ['Austin', 'United States'], ['Toronto', 'Canada'], ['Lyon', 'France'], ['Munich', 'Germany'],
  ['Utrecht', 'Netherlands'], ['Gothenburg', 'Sweden'], ['Valencia', 'Spain'], ['Turin', 'Italy'], ['Leeds', 'United Kingdom'],
  ['Osaka', 'Japan'], ['Melbourne', 'Australia'], ['Porto', 'Portugal'], ['Aarhus', 'Denmark'], ['Cork', 'Ireland'],
];
const FIRST = ['Ana', 'Ben', 'Chloe', 'David', 'Elena', 'Farid', 'Grace', 'Hiro', 'Ines', 'Jonas', 'Kara', 'Luis', 'Maya', 'Nils', 'Olga', 'Priya'];
const LAST = ['Alvarez', 'Brandt', 'Chen', 'Dubois', 'Eriksen', 'Fischer', 'Garcia', 'Haddad', 'Ito', 'Jensen', 'Kowalski', 'Larsen', 'Moreau', 'Novak', 'Okafor', 'Patel'];
const PRODUCTS = ['field kits', 'sensors', 'insulated jackets', 'cold brew', 'route planning', 'dashboards', 'trail shoes', 'heat pumps', 'pallet robots', 'care apps', 'denim', 'payment terminals'];

export interface CorpusOptions {
  readonly seed: number;
  /** Generated companies besides the brands. */
  readonly generated: number;
  /** Include the brands of examples/brands.csv (with generated facts). */
  readonly brands: boolean;
}

/** The corpus for `options`: the same seed always gives the same companies and facts. */
export function buildCorpus(options: CorpusOptions): readonly Company[] {
  const random = seededRandom(options.seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const companies = new Map<string, Company>();
  const add = (name: string, country: string | null): void => {
    const slug = slugOf(name);
    if (slug === '' || companies.has(slug)) return;
    // Facts come from the name's own hash, so adding a company never changes the facts of another.
    const own = seededRandom(stableHash(`${options.seed}:${slug}`));
    const ownPick = <T>(list: readonly T[]): T => list[Math.floor(own() * list.length)]!;
    const candidates = country === null ? CITIES : CITIES.filter(([, c]) => c === country);
    const [city, cityCountry] = candidates.length > 0 ? ownPick(candidates) : [null, country ?? ''];
    companies.set(slug, {
      slug,
      name,
      industry: ownPick(INDUSTRIES),
      founded: 1890 + Math.floor(own() * 130),
      city,
      country: cityCountry,
      headquarters: city === null ? cityCountry : `${city}, ${cityCountry}`,
      ceo: `${ownPick(FIRST)} ${ownPick(LAST)}`,
      employees: Math.round(10 ** (1 + own() * 4)),
      products: [ownPick(PRODUCTS), ownPick(PRODUCTS)].filter((p, i, all) => all.indexOf(p) === i),
    });
  };
  for (let i = 0; companies.size < options.generated && i < options.generated * 10; i++) {
    const syllables = 2 + Math.floor(random() * 2);
    let stem = '';
    for (let s = 0; s < syllables; s++) stem += pick(SYLLABLES);
    add(`${stem[0]!.toUpperCase()}${stem.slice(1)} ${pick(SUFFIXES)}`, null);
  }
  if (options.brands) for (const [name, country] of readBrands()) add(name, country);
  return [...companies.values()];
}

/** `Arc'teryx` → `arcteryx`, `Canada Goose` → `canada-goose`: a valid DNS label. */
export function slugOf(name: string): string {
  return name
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9\s-]/g, '')
    .trim()
    .split(/[\s-]+/)
    .filter((part) => part !== '')
    .join('-')
    .slice(0, 63);
}

function readBrands(): [string, string][] {
  const text = readFileSync(new URL('../../examples/brands.csv', import.meta.url), 'utf8');
  const rows: [string, string][] = [];
  for (const line of text.split('\n').slice(1)) {
    // The file has three plain columns and no quoted commas (checked by a test), so a split is a full parse.
    const [name, , country] = line.split(',');
    if (name && country) rows.push([name.trim(), country.trim()]);
  }
  return rows;
}
