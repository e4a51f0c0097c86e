import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SITE, startGate, type Gate } from './harness.js';

describe('redeemLink', () => {
  let g: Gate;
  beforeAll(async () => {
    g = await startGate();
    await g.grant('ann@example.org');
  });
  afterAll(() => g.close());

  const knex = () => g.daemon.daemon.store.knex;

  it('leaves the link usable when the login cannot be recorded', async () => {
    const { link, pending } = await g.requestLink('ann@example.org');
    const uri = link.pathname + link.search;
    // The audit write fails; consuming the link and starting the session must not stay.
    await knex().schema.renameTable('audit', 'audit_away');
    let failed;
    try {
      failed = await g.gate.authorize(uri, { cookie: `forgetpw_link=${pending}` });
    } finally {
      await knex().schema.renameTable('audit_away', 'audit');
    }
    expect(failed.status).toBe(500);
    expect(failed.body).toContain('Something Went Wrong');
    expect(failed.cookies()).toEqual([]);
    const sessions = await knex()('tokens').where({ kind: 'session' }).count({ n: '*' });
    expect(Number(sessions[0]?.n)).toBe(0);

    const again = await g.gate.authorize(uri, { cookie: `forgetpw_link=${pending}` });
    expect(again.status).toBe(200);
    expect(again.header('Variable-FCGI_USER')).toBe('ann@example.org');
    const session = again.cookie('forgetpw')!;
    expect((await g.gate.authorize('/page.html', { cookie: `forgetpw=${session}`, host: SITE })).status).toBe(
      200,
    );
  });

  it('leaves the link usable for the confirmation button too', async () => {
    const { link } = await g.requestLink('ann@example.org');
    const knock = link.searchParams.get('knock')!;
    const form = { knock, forward: `http://${SITE}/page.html` };
    const same = { origin: `http://${SITE}` };
    await knex().schema.renameTable('audit', 'audit_away');
    let failed;
    try {
      failed = await g.gate.post('/email-link', form, same);
    } finally {
      await knex().schema.renameTable('audit_away', 'audit');
    }
    expect(failed.status).toBe(500);
    expect(failed.cookies()).toEqual([]);
    const confirmed = await g.gate.post('/email-link', form, same);
    expect(confirmed.status).toBe(303);
    expect(confirmed.cookie('forgetpw')).toBeDefined();
  });
});
