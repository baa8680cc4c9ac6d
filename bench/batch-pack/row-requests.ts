// The rows the packing bench packs: batch requests made on demand, heavier than the bench job's (a long system prompt, 200–500 characters of notes).
import type { BatchRowRequest } from '../../backend/src/ports/batch.js';

const SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['category', 'founded', 'positioning', 'summary'],
  properties: {
    category: { type: 'string', description: 'Main product category' },
    founded: { type: 'integer', description: 'Year the brand was founded' },
    positioning: { type: 'string', enum: ['budget', 'mid-range', 'premium', 'luxury'] },
    summary: { type: 'string', description: 'One sentence about the brand' },
  },
};
const SYSTEM = `You fill in spreadsheet cells. ${'Follow the output schema exactly and answer from general knowledge. '.repeat(8)}`;
const COUNTRIES = ['France', 'Japan', 'Brazil', 'Kenya'];

/** Rows made on demand, as a store cursor hands them out: none is kept after it is yielded, so memory is the packer's alone. */
export async function* rowRequests(count: number): AsyncGenerator<BatchRowRequest> {
  for (let i = 0; i < count; i++) {
    // A turn of the event loop now and then, as a store read would give: the RSS sampler must get to run.
    if (i % 1000 === 0) await Promise.resolve();
    const inputs = { Brand: `Brand number ${i}`, Website: `https://www.brand-${i}.example.com`, Country: COUNTRIES[i % 4], Notes: 'x'.repeat(200 + (i % 300)) };
    yield {
      customId: `row-${i}:1`,
      request: { model: 'gpt-4.1-mini', messages: [{ role: 'system', content: SYSTEM }, { role: 'user', content: `<row>\n${JSON.stringify(inputs)}\n</row>` }], schemaName: 'row_output', schema: SCHEMA, maxOutputTokens: 300 },
    };
  }
}
