// The fenced code blocks of README.md and the guides, as the tests that run them read them. After the
// language a marker may say how a block runs (```ts run, ```sh first-call, ...); see
// test/docs/snippets.test.ts for the markers of the TypeScript blocks.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const repositoryRoot = join(import.meta.dirname, '../..');

export interface Snippet {
  /** The page, relative to the repository: `README.md`, `docs/client.md`. */
  page: string;
  marker: string;
  code: string;
}

/** Every ```<lang> block of a page, in order, with its marker ('' when it has none). */
export function codeBlocks(page: string, lang = 'ts'): Snippet[] {
  const text = readFileSync(join(repositoryRoot, page), 'utf8');
  const fence = new RegExp(`^\`\`\`${lang}(?: ([\\w-]+))?\\n([\\s\\S]*?)^\`\`\`$`, 'gm');
  return [...text.matchAll(fence)].map((m) => ({ page, marker: m[1] ?? '', code: m[2]! }));
}

/** The one block of a page with this language and marker; a test fails clearly when it is gone. */
export function codeBlock(page: string, lang: string, marker: string): Snippet {
  const found = codeBlocks(page, lang).filter((s) => s.marker === marker);
  if (found.length !== 1)
    throw new Error(`${page} should hold one \`\`\`${lang} ${marker} block, holds ${found.length}`);
  return found[0]!;
}
