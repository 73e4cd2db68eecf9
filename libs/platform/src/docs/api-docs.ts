import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Request, Response, NextFunction } from 'express';

const ASSETS = ['swagger-ui.css', 'swagger-ui-bundle.js', 'swagger-ui-standalone-preset.js', 'favicon-32x32.png'] as const;
const TYPES: Record<string, string> = { '.css': 'text/css; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.png': 'image/png' };

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * The service's API docs page (Swagger UI, from swagger-ui-dist: no CDN), served at `<mount>/docs`
 * for the OpenAPI document at `specPath` (relative to the docs page, e.g. `../v1/openapi.json`).
 * "Authorize" takes a bearer token; "Try it out" calls the service itself.
 */
export function apiDocs(options: { title: string; specPath: string }) {
  const dist = path.dirname(require.resolve('swagger-ui-dist/package.json'));
  const assets = new Map(ASSETS.map((name) => [name, readFileSync(path.join(dist, name))]));
  const page = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(options.title)} API</title>
<link rel="stylesheet" href="swagger-ui.css"><link rel="icon" type="image/png" href="favicon-32x32.png"></head>
<body><div id="swagger-ui"></div>
<script src="swagger-ui-bundle.js"></script><script src="swagger-ui-standalone-preset.js"></script>
<script src="init.js"></script></body></html>`;
  const init = `window.ui = SwaggerUIBundle({ url: ${JSON.stringify(options.specPath)}, dom_id: '#swagger-ui',
  presets: [SwaggerUIBundle.presets.apis], layout: 'BaseLayout', persistAuthorization: true, tryItOutEnabled: false });`;
  return (req: Request, res: Response, next: NextFunction): void => {
    const url = req.path;
    if (url === '/docs') {
      res.redirect(301, `${req.baseUrl}/docs/`);
      return;
    }
    if (!url.startsWith('/docs/')) return next();
    const file = url.slice('/docs/'.length);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    if (file === '' || file === 'index.html') {
      res.type('html').send(page);
      return;
    }
    if (file === 'init.js') {
      res.type(TYPES['.js']!).send(init);
      return;
    }
    const asset = assets.get(file as (typeof ASSETS)[number]);
    if (!asset) return next();
    res.setHeader('Cache-Control', 'public, max-age=3600');
    res.type(TYPES[path.extname(file)]!).send(asset);
  };
}
