import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { describe, expect, it } from 'vitest';
import { loadSpec } from '../../src/contract/index.js';

const root = join(import.meta.dirname, '../..');
const pagesDir = join(root, 'spec/vendor-pages');
const sharedSeeds = join(root, '../shared/seeds');
const pages = readdirSync(pagesDir).filter((f) => f.endsWith('.txt'));

/** Every JSON value on a page: objects that open on a line of their own, and bare JSON strings. */
export function jsonBlocks(text: string): unknown[] {
  const found: unknown[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (/^"[a-z]{3}_[0-9A-Za-z-]+"$/.test(line)) found.push(JSON.parse(line));
    if (line !== '{') continue;
    let depth = 0;
    const buf: string[] = [];
    for (let j = i; j < lines.length; j++) {
      buf.push(lines[j]!);
      for (const ch of lines[j]!) depth += ch === '{' ? 1 : ch === '}' ? -1 : 0;
      if (depth === 0) {
        // The pages indent with no-break spaces (U+00A0), which JSON does not allow as white space.
        found.push(JSON.parse(buf.join('\n').replace(/\u00a0/g, ' ')));
        i = j;
        break;
      }
    }
  }
  return found;
}

// How many examples each page shows, counted by hand, so an extraction that misses one fails.
const expectedCounts: Record<string, number> = {
  '000_a4310c9395a1039a.txt': 3,
  '001_07bd62c4a5f7a097.txt': 2,
  '002_97539153720e870a.txt': 1,
  '003_4929d5aabf127717.txt': 9,
};

describe('spec/vendor-pages', () => {
  it('holds a verbatim copy of each shared vendor page', () => {
    expect(pages.sort()).toEqual(Object.keys(expectedCounts).sort());
    if (!existsSync(sharedSeeds)) {
      console.log('vendor-pages: the shared seeds (../shared/seeds) are not present; compared against the in-repo copies only');
      return;
    }
    for (const page of readdirSync(sharedSeeds)) {
      expect(readFileSync(join(pagesDir, page), 'utf8'), page).toBe(readFileSync(join(sharedSeeds, page), 'utf8'));
    }
  });

  const examples = Object.entries(loadSpec().components.examples);

  it.each(pages)('%s: every JSON example on the page is a named example in the spec', (page) => {
    const blocks = jsonBlocks(readFileSync(join(pagesDir, page), 'utf8'));
    expect(blocks).toHaveLength(expectedCounts[page]!);
    for (const block of blocks) {
      const match = examples.find(([, ex]) => isDeepStrictEqual(ex.value, block));
      expect(match, `no named example equals ${JSON.stringify(block).slice(0, 120)}`).toBeDefined();
    }
  });
});
