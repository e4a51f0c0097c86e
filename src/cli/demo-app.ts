import { createServer } from 'node:http';

/** The protected page each demo serves; `whoami` is where the user's name can be read back. */
export function demoPage(whoami: string | undefined): string {
  const who = whoami === undefined ? '' : ` <a href="${whoami}">Who am I?</a>`;
  return `<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>You are in</title></head>
<body style="font:16px/1.5 system-ui,sans-serif;max-width:34rem;margin:12vh auto;padding:0 1rem">
<h1>You are in</h1>
<p>This page is protected by forget-passwords.${who}</p>
<form method="post" action="/logout"><button>Log out</button></form>
</body></html>
`;
}

export interface DemoApp {
  readonly port: number;
  close(): Promise<void>;
}

/**
 * The app behind nginx and Caddy in `forgetpw demo`: the page, and /cgi/whoami.cgi saying which
 * user the proxy's Remote-User header names (the same two URLs as the Apache demo's folder).
 */
export function startDemoApp(): Promise<DemoApp> {
  const server = createServer((req, res) => {
    if ((req.url ?? '/').split('?')[0] === '/cgi/whoami.cgi') {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end(`REMOTE_USER=${String(req.headers['remote-user'] ?? '')}\n`);
      return;
    }
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(demoPage('cgi/whoami.cgi'));
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      resolve({
        port: typeof address === 'object' && address !== null ? address.port : 0,
        close: () => new Promise((done) => server.close(() => done())),
      });
    });
  });
}
