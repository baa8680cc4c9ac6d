import { describe, expect, it } from 'vitest';
import { parseOutputSpec } from '../../../backend/src/cli/output-spec.js';

describe('parseOutputSpec', () => {
  it('reads a plain text column', () => {
    expect(parseOutputSpec('Category=Main product category')).toEqual({ name: 'Category', instruction: 'Main product category', type: 'text' });
  });

  it('reads typed columns', () => {
    expect(parseOutputSpec('Founded:number=Year founded')).toMatchObject({ name: 'Founded', type: 'number' });
    expect(parseOutputSpec('Public:boolean=Is it listed?')).toMatchObject({ type: 'boolean' });
    expect(parseOutputSpec('Site:url=Homepage')).toMatchObject({ type: 'url' });
    expect(parseOutputSpec('Tier:enum(Budget|Mid|Premium)=Price tier')).toEqual({ name: 'Tier', instruction: 'Price tier', type: 'enum', options: ['Budget', 'Mid', 'Premium'] });
  });

  it('keeps "=" and ":" inside the instruction', () => {
    expect(parseOutputSpec('Note=Answer as key: value = pairs')).toMatchObject({ name: 'Note', instruction: 'Answer as key: value = pairs' });
  });

  it.each([
    ['Category', 'must look like "Name=instruction"'],
    ['Category=', 'has an empty instruction'],
    ['Founded:integer=Year', 'unknown type "integer"'],
    ['Tier:enum(One)=x', 'enum needs at least two options'],
  ])('rejects %s', (text, message) => {
    expect(() => parseOutputSpec(text)).toThrow(message);
  });
});
