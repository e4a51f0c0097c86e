import type { GateClient } from '../support/gate-client.js';
import type { SmtpSink } from '../support/smtp-sink.js';
import { ownerSession } from './owner-session.js';

/**
 * After the storm, well-formed requests get exactly their right answers: the form,
 * a session made before (as cookie and as bearer), a whole new login, a 404.
 * Returns what differed; empty when all is well.
 */
export async function checkAfterwards(
  gate: GateClient,
  sink: SmtpSink,
  owner: { readonly address: string; readonly site: string; readonly session: string },
): Promise<string[]> {
  const problems: string[] = [];
  const host = owner.site;
  const form = await gate.authorize('/page.html', { host });
  if (form.status !== 401 || !form.body.includes('action="/email-link"')) {
    problems.push(`no credentials: ${form.status} instead of the 401 form`);
  }
  const cookie = await gate.authorize('/page.html', { host, cookie: `forgetpw=${owner.session}` });
  if (cookie.status !== 200 || cookie.header('Variable-FCGI_USER') !== owner.address) {
    problems.push(`the session from before: ${cookie.status} instead of 200 as the owner`);
  }
  const bearer = await gate.authorize('/feed', { host, authorization: `Bearer ${owner.session}` });
  if (bearer.header('Variable-FCGI_USER') !== owner.address) problems.push(`bearer: ${bearer.status}`);
  try {
    const fresh = await ownerSession(gate, sink, owner.address, host);
    const used = await gate.authorize('/page.html', { host, cookie: `forgetpw=${fresh}` });
    if (used.header('Variable-FCGI_USER') !== owner.address) problems.push(`a new session: ${used.status}`);
  } catch (error) {
    problems.push(`a new login failed: ${error instanceof Error ? error.message : String(error)}`);
  }
  const missing = await gate.request('GET', '/nowhere', { host });
  if (missing.status !== 404) problems.push(`unknown responder path: ${missing.status} instead of 404`);
  return problems;
}
