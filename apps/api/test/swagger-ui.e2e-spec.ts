import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { itWithTool, systemTool, unique } from '@app/testing';
import { Browser, chromium, Locator, Page } from 'playwright-core';
import { useApiTestApp } from './support/api-test-app';

const SCREENSHOTS = join(__dirname, '../../../.local/test-output');

/**
 * Swagger UI in a real browser: Debian's Chromium (installed with apt by
 * `npm test`; never a downloaded browser), driven by playwright-core. The page
 * logs in, authorizes with the token it got, and runs two operations.
 */
describe('Swagger UI at /docs in Chromium', () => {
  const ctx = useApiTestApp();
  let browser: Browser | undefined;
  afterAll(async () => browser?.close());

  /** The block of one operation, expanded, in "Try it out" mode. */
  async function tryOperation(page: Page, tag: string, operationId: string): Promise<Locator> {
    const operation = page.locator(`#operations-${tag.replace(/ /g, '_')}-${operationId}`);
    await operation.locator('.opblock-summary').first().click();
    await operation.locator('.try-out__btn').click();
    return operation;
  }

  async function execute(operation: Locator): Promise<{ status: string; body: string }> {
    await operation.locator('button.execute').click();
    const live = operation.locator('.live-responses-table .response').first();
    await live.waitFor({ timeout: 10_000 });
    return {
      status: (await live.locator('.response-col_status').innerText()).trim(),
      body: await live.locator('.response-col_description pre').first().innerText(),
    };
  }

  itWithTool('chromium')(
    'logs in, authorizes with the token, and runs GET /api/user and POST /api/articles from the page',
    async () => {
      const user = await ctx.api.register();
      browser = await chromium.launch({ executablePath: systemTool('chromium'), args: ['--no-sandbox', '--disable-dev-shm-usage'] });
      const page = await browser.newPage({ viewport: { width: 1280, height: 2000 } });
      const pageErrors: string[] = [];
      page.on('pageerror', (error) => pageErrors.push(error.message));
      await page.goto(`${await ctx.app.getUrl()}/docs`);
      await page.locator('.swagger-ui .information-container').waitFor();

      const login = await tryOperation(page, 'User and Authentication', 'Login');
      await login.locator('textarea.body-param__text').fill(JSON.stringify({ user: { email: user.email, password: user.password } }));
      const loggedIn = await execute(login);
      expect(loggedIn.status).toBe('200');
      const token: string = JSON.parse(loggedIn.body).user.token;

      await page.locator('button.authorize').first().click();
      const dialog = page.locator('.dialog-ux .modal-ux');
      await dialog.locator('input').first().fill(`Token ${token}`);
      await dialog.locator('button.modal-btn.auth.authorize').click();
      await dialog.locator('button.btn-done').click();

      const currentUser = await tryOperation(page, 'User and Authentication', 'GetCurrentUser');
      const me = await execute(currentUser);
      expect(me.status).toBe('200');
      expect(JSON.parse(me.body).user.username).toBe(user.username);

      const title = unique('From Swagger UI ');
      const create = await tryOperation(page, 'Articles', 'CreateArticle');
      await create
        .locator('textarea.body-param__text')
        .fill(JSON.stringify({ article: { title, description: 'Sent by a browser', body: 'Hello', tagList: ['swagger'] } }));
      const created = await execute(create);
      expect(created.status).toBe('201');
      expect(JSON.parse(created.body).article).toMatchObject({ title, author: { username: user.username } });

      mkdirSync(SCREENSHOTS, { recursive: true });
      await page.screenshot({ path: join(SCREENSHOTS, 'swagger-ui.png'), fullPage: true });
      expect(pageErrors).toEqual([]);
      const stored: unknown[] = await ctx.db.query('SELECT 1 FROM articles WHERE title = $1', [title]);
      expect(stored).toHaveLength(1);
    },
    60_000,
  );
});
