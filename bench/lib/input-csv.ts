// Generates the bench's input file: N distinct companies (Brand, Website, Country), streamed so a million rows stay cheap.
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';

const BRANDS = ['Patagonia', 'Lego', 'IKEA', 'Nintendo', 'Heineken', 'Adidas', 'Muji', 'Zara', 'Rolex', 'Volvo'];
const COUNTRIES = ['Sweden', 'Japan', 'Germany', 'France', 'Brazil', 'Kenya', 'Canada', 'India'];

/** Every row differs, so neither the engine's cache nor a duplicate check can collapse the work. */
export async function writeInputCsv(path: string, rows: number): Promise<void> {
  const out = createWriteStream(path);
  out.write('Brand,Website,Country\n');
  for (let i = 0; i < rows; i++) {
    const brand = `${BRANDS[i % BRANDS.length] ?? 'Acme'} ${i}`;
    const line = `${brand},https://www.${brand.toLowerCase().replace(' ', '-')}.example,${COUNTRIES[i % COUNTRIES.length] ?? 'Sweden'}\n`;
    if (!out.write(line)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}
