// docs/index.html in Debian's chromium with every network request refused: the page must render,
// search and switch examples from the file alone, log no error and ask no host for anything.
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { docsPaths, listOperations, offlineProblems, type OpenApiLike } from '../../scripts/build-docs.mjs';

// Debian's chromium by default; CHROMIUM=/path/to/chromium points at another build.
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const root = fileURLToPath(new URL('../..', import.meta.url));
const screenshotDir = join(root, 'test-results');
const pageUrl = pathToFileURL(docsPaths.output);

interface NamedExample {
  summary: string;
  description: string;
  value: unknown;
}
type Examples = Record<string, { $ref?: string; summary?: string; description?: string; value?: unknown }>;

const spec = JSON.parse(readFileSync(docsPaths.spec, 'utf8')) as OpenApiLike & {
  components: { examples: Record<string, NamedExample> };
};

function named(examples: Examples | undefined): NamedExample[] {
  return Object.values(examples ?? {}).map((e) => {
    const ref = e.$ref?.replace('#/components/examples/', '');
    const example = ref ? spec.components.examples[ref] : e;
    if (!example?.summary) throw new Error(`example ${e.$ref ?? ''} has no summary to show in the docs`);
    return { summary: example.summary, description: example.description ?? '', value: example.value };
  });
}

type Operation = { requestBody?: unknown; responses?: unknown; tags?: string[]; summary?: string };
const operations = listOperations(spec).map(({ operationId, method, path, operation }) => {
  const op = operation as Operation;
  const json = (content: unknown) =>
    (content as { 'application/json'?: { examples?: Examples } } | undefined)?.['application/json'];
  const responses = Object.entries((op.responses ?? {}) as Record<string, { content?: unknown }>);
  const success = responses.find(([status]) => status.startsWith('2'))?.[1];
  return {
    operationId,
    method: method.toUpperCase(),
    path,
    tag: op.tags?.[0] ?? '',
    summary: op.summary ?? '',
    requestExamples: named(json((op.requestBody as { content?: unknown } | undefined)?.content)?.examples),
    responseExamples: named(json(success?.content)?.examples),
  };
});

/** The first string in an example, as its JSON viewer prints it. */
function firstString(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value && typeof value === 'object') {
    for (const v of Object.values(value)) {
      const found = firstString(v);
      if (found) return found;
    }
  }
  return '';
}

const exact = (text: string) => new RegExp(`^${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);

let browser: Browser | undefined;
let page: Page;
let html = '';
/** Requests the route refused: anything but the page file itself, hosts and local files alike. */
const refused: string[] = [];
/** Every request for something other than a file: or data: URL, seen before any routing. */
const hostRequests: string[] = [];
const consoleErrors: string[] = [];

// The first menu is the sidebar; an expanded group nests another one.
const sidebar = () => page.locator('[data-component-name="Menu/Menu"]').first();

/** Waits for the sidebar's expand/collapse transitions to end, so what is visible stays visible. */
async function settled(): Promise<void> {
  await page.waitForFunction(() => document.getAnimations().every((a) => a.playState !== 'running'));
}
const operationSection = (summary: string) =>
  page.locator('[data-section-id]').filter({ has: page.locator('h1, h2').filter({ hasText: exact(summary) }) });

async function openOperation(tag: string, summary: string): Promise<Locator> {
  const link = sidebar().getByText(summary, { exact: true });
  // Groups are an accordion: opening one tag closes the others, and a navigation (a search result)
  // may still be folding a group when we look. So: look, open the tag if needed, click, and look again.
  for (let attempt = 1; ; attempt++) {
    await settled();
    if (!(await link.isVisible())) await sidebar().getByText(tag, { exact: true }).click();
    await settled();
    try {
      await link.click({ timeout: 1_500 });
      break;
    } catch (error) {
      if (attempt === 3) throw error;
    }
  }
  const section = operationSection(summary);
  await section.locator('.panel-request-samples').first().waitFor();
  return section;
}

/** The names in an Example dropdown (the vendor's named examples), menu closed again afterwards. */
async function exampleMenu(panel: Locator): Promise<string[]> {
  const button = panel.getByRole('button', { name: 'Example' });
  await button.click();
  const items = page.getByRole('menuitem');
  await items.first().waitFor();
  const names = (await items.allInnerTexts()).map((t) => t.trim());
  await button.click(); // the dropdown toggles; Escape leaves it open
  await items.first().waitFor({ state: 'detached' });
  return names;
}

type SampleLanguage = 'live-platform-openapi' | 'curl' | 'Payload';

/** Switches a request panel from one sample language (its button's name) to another. */
async function showLanguage(panel: Locator, from: SampleLanguage, to: SampleLanguage): Promise<void> {
  await panel.getByRole('button', { name: from, exact: true }).click();
  await page.getByRole('menuitem').filter({ hasText: exact(to) }).click();
  await panel.getByRole('button', { name: to, exact: true }).waitFor();
}

async function chooseExample(panel: Locator, summary: string): Promise<void> {
  await panel.getByRole('button', { name: 'Example' }).click();
  await page.getByRole('menuitem').filter({ hasText: exact(summary) }).click();
}

/** Why building or opening the docs failed; every test reports it (a missing browser fails, never skips). */
let setupError: unknown;

async function openDocs(): Promise<void> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `Chromium is not installed at ${process.env.CHROMIUM ? 'the path CHROMIUM gives' : CHROMIUM}. Install Debian's ` +
        "package (apt-get install -y chromium; CI's .ci/run does this) or set CHROMIUM=/path/to/chromium. " +
        'Do not download a browser with playwright.',
    );
  }
  // Exactly what `npm run docs` runs, so the page under test is the page users get.
  await promisify(execFile)(process.execPath, [join(root, 'scripts', 'build-docs.mjs')], { cwd: root });
  html = readFileSync(docsPaths.output, 'utf8');

  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, serviceWorkers: 'block' });
  page = await context.newPage();
  // A missing element fails its test in seconds, with the locator in the message.
  page.setDefaultTimeout(5_000);
  await page.route('**/*', async (route) => {
    const url = new URL(route.request().url());
    if (url.protocol === 'file:' && url.pathname === pageUrl.pathname) return route.continue();
    refused.push(url.href);
    return route.abort('blockedbyclient');
  });
  page.on('request', (request) => {
    if (!/^(file|data|blob):/.test(request.url())) hostRequests.push(request.url());
  });
  page.on('websocket', (ws) => hostRequests.push(ws.url()));
  page.on('console', (message) => {
    if (message.type() === 'error') consoleErrors.push(message.text());
  });
  page.on('pageerror', (error) => consoleErrors.push(`uncaught: ${error.message}`));

  await page.goto(pageUrl.href, { waitUntil: 'load' });
  // Hydrated once the search box stops saying "Loading...".
  await page.waitForFunction(
    () => !document.querySelector('[data-testid="search-trigger"]')?.textContent?.includes('Loading'),
  );
}

beforeAll(async () => {
  try {
    await openDocs();
  } catch (error) {
    setupError = error;
  }
});

// A throwing beforeAll would leave the tests "skipped"; thrown here, each one counts as failed.
beforeEach(() => {
  if (setupError) throw setupError;
});

afterAll(async () => {
  await browser?.close();
});

describe('docs/index.html (scripts/build-docs.mjs) offline in chromium', () => {
  it('is built self-contained: inline Redoc, no CDN, telemetry off, a CSP that forbids hosts', () => {
    expect(offlineProblems(html)).toEqual([]);
    expect(html).not.toMatch(/<script[^>]+src=/);
    expect(html).not.toMatch(/<link[^>]+href=/);
  });

  it('renders the introduction: guides, authentication, the task model, timestamps', async () => {
    for (const heading of ['Guides', 'Authentication', 'The task model', 'Timestamps', 'Errors']) {
      await page.locator('h2').filter({ hasText: exact(heading) }).waitFor();
    }
    const intro = await page.locator('[data-testid="middle-panel"]').innerText();
    expect(intro).toContain('Microsoft Entra ID');
    expect(intro).toContain('CompletedFailed');
    expect(intro).toContain('CustomerAlreadyConverted');
    expect(intro).toContain('0001-01-01T00:00:00');
    // The guides are linked from the page, each to a file beside it (docs/index.html -> docs/client.md).
    const guides = await page
      .locator('[data-testid="middle-panel"] a[href$=".md"]')
      .evaluateAll((links) => links.map((a) => (a as HTMLAnchorElement).href));
    expect(guides.map((href) => href.slice(href.lastIndexOf('/') + 1))).toEqual(
      expect.arrayContaining(['client.md', 'sandbox.md', 'checker.md', 'README.md']),
    );
    for (const href of guides) expect(existsSync(fileURLToPath(href)), href).toBe(true);
  });

  it('at 1400 px the task-model tables fit, keep code words whole, and name no jargon as an operation', async () => {
    await page.setViewportSize({ width: 1400, height: 900 });
    try {
      await page.locator('table.md').first().waitFor();
      const layout = await page.evaluate(() =>
        [...document.querySelectorAll('table.md')].map((table) => ({
          overflow: table.scrollWidth - (table.parentElement?.clientWidth ?? 0),
          // A code span without spaces that takes more than one line box was broken mid-word.
          broken: [...table.querySelectorAll('code')]
            .filter((c) => !/\s/.test(c.textContent ?? '') && c.getClientRects().length > 1)
            .map((c) => c.textContent),
        })),
      );
      expect(layout.length).toBeGreaterThanOrEqual(2);
      expect(layout.flatMap((t) => t.broken)).toEqual([]);
      expect(layout.every((t) => t.overflow <= 0)).toBe(true);
      const intro = await page.locator('[data-testid="middle-panel"]').innerText();
      expect(intro).not.toContain('sibling lead pages');
    } finally {
      await page.setViewportSize({ width: 1440, height: 900 });
    }
  });

  it.each(operations.map((op) => ({ ...op })))(
    'renders $operationId under its tag with its TypeScript sample and vendor examples',
    async (op) => {
      const section = await openOperation(op.tag, op.summary);
      // Grouped: the tag's menu entry holds this operation.
      const tagEntry = sidebar()
        .locator('[data-component-name="Menu/MenuItem"]')
        .filter({ has: page.getByText(op.tag, { exact: true }) });
      expect(await tagEntry.first().innerText()).toContain(op.summary);

      const request = section.locator('.panel-request-samples').first();
      const sample = await request.innerText();
      expect(sample).toContain('live-platform-openapi');
      expect(sample).toContain("import { createLivePlatformClient } from 'live-platform-openapi';");
      expect(sample).toContain(`lp.${op.method}(`);
      expect(sample).toContain(op.path);

      // Redoc names a lone example by its description and offers a menu of summaries when there are
      // several; either way the first example's JSON is on show (the request's under "Payload").
      if (op.requestExamples.length > 1) {
        expect(await exampleMenu(request)).toEqual(op.requestExamples.map((e) => e.summary));
      }
      if (op.requestExamples.length > 0) {
        await showLanguage(request, 'live-platform-openapi', 'Payload');
        expect(await request.innerText()).toContain(firstString(op.requestExamples[0]!.value));
        await showLanguage(request, 'Payload', 'live-platform-openapi');
      }

      // Beside it, the curl command scripts/build-docs.mjs generates from the contract.
      await showLanguage(request, 'live-platform-openapi', 'curl');
      const curl = await request.innerText();
      expect(curl).toContain(`curl${op.method === 'GET' ? '' : ` -X ${op.method}`} "$LIVE_PLATFORM_BASE_URL`);
      expect(curl).toContain('Authorization: Bearer $LIVE_PLATFORM_TOKEN');
      if (op.requestExamples.length > 0) expect(curl).toContain(firstString(op.requestExamples[0]!.value));
      await showLanguage(request, 'curl', 'live-platform-openapi');

      const response = section.locator('.panel-response-samples').first();
      expect(await response.innerText()).toContain(firstString(op.responseExamples[0]!.value));
      if (op.responseExamples.length > 1) {
        expect(await exampleMenu(response)).toEqual(op.responseExamples.map((e) => e.summary));
      } else {
        expect(await response.innerText()).toContain(op.responseExamples[0]!.description);
      }
    },
  );

  it("at 1400 px a sample's first line is not under its copy button", async () => {
    await page.setViewportSize({ width: 1400, height: 900 });
    try {
      const section = await openOperation('Customers', 'Import a customer from OVOC');
      const request = section.locator('.panel-request-samples').first();
      // The button shows on hover only (a zero-size box otherwise).
      await request.locator('pre').first().hover();
      await request.getByTestId('copy-button').filter({ visible: true }).first().waitFor();
      const overlap = await request.evaluate((panel) => {
        const b = [...panel.querySelectorAll('[data-testid="copy-button"]')]
          .map((button) => button.getBoundingClientRect())
          .find((r) => r.width * r.height > 0)!;
        const range = document.createRange();
        range.selectNodeContents(panel.querySelector('pre')!);
        const rects = [...range.getClientRects()].filter((r) => r.width > 0);
        const firstLine = rects.filter((r) => r.top === rects[0]!.top);
        const hits = firstLine.filter((r) => r.left < b.right && r.right > b.left && r.top < b.bottom && r.bottom > b.top);
        return { button: b.width * b.height, lineRects: firstLine.length, hits: hits.length };
      });
      expect(overlap.button).toBeGreaterThan(0);
      expect(overlap.lineRects).toBeGreaterThan(0);
      expect(overlap.hits).toBe(0);
    } finally {
      await page.setViewportSize({ width: 1440, height: 900 });
    }
  });

  it('search finds "ovocimport" and opens the operation', async () => {
    await page.getByTestId('search-trigger').click();
    await page.keyboard.type('ovocimport');
    const results = page.locator('[data-component-name="Search/SearchItem"]');
    await results.first().waitFor();
    expect(await results.first().innerText()).toContain('Import a customer from OVOC');
    await results.first().click();
    await operationSection('Import a customer from OVOC').waitFor();
    expect(decodeURIComponent(new URL(page.url()).hash)).toMatch(/importcustomerfromovoc/i);
  });

  it('switches a response to another vendor example and back, showing its JSON', async () => {
    const section = await openOperation('Tasks', "Get a task's status");
    const response = section.locator('.panel-response-samples').first();
    const converted = spec.components.examples['TaskConverted']!.value as { id: string };
    await chooseExample(response, 'Lead converted');
    await response.getByText(`"${converted.id}"`).waitFor();
    expect(await response.innerText()).not.toContain('"tsk_185510"');

    await chooseExample(response, 'Import completed');
    await response.getByText('"tsk_185510"').waitFor();
    expect(await response.getByText('"tsk_185510"').isVisible()).toBe(true);
    expect(await response.innerText()).not.toContain(converted.id);
  });

  it('saves screenshots of an operation and of the introduction', async () => {
    mkdirSync(screenshotDir, { recursive: true });
    await openOperation('Customers', 'Create a customer from a lead with an IP Group');
    const operationShot = join(screenshotDir, 'docs.png');
    await settled();
    await page.screenshot({ path: operationShot });
    await sidebar().getByText(spec.info.title, { exact: true }).click();
    await page.locator('h2').filter({ hasText: exact('Authentication') }).waitFor();
    const introShot = join(screenshotDir, 'docs-introduction.png');
    await settled();
    await page.screenshot({ path: introShot });
    // Paths relative to the repository: a test prints nothing of the machine around it.
    console.log(`docs screenshots: ${relative(root, operationShot)} and ${relative(root, introShot)}`);
    expect(readFileSync(operationShot).subarray(1, 4).toString()).toBe('PNG');
  });

  it('logged no console error and asked no host (nor any other file) for anything', () => {
    expect(consoleErrors, 'console errors').toEqual([]);
    expect(hostRequests, 'requests to a host').toEqual([]);
    expect(refused, 'requests the page made besides its own file').toEqual([]);
  });
});
