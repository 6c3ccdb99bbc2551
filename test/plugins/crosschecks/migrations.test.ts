import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { migratePlugins } from '../../../engine/entry/server.ts';
import { fingerprintOf } from '../../../plugins/crosschecks/compare-row.ts';
import { CROSSCHECKS_MIGRATIONS } from '../../../plugins/crosschecks/index.ts';
import { dialects } from '../../helpers/dialects.ts';

describe.each(dialects())('cross-checks migrations on $name', (dialect) => {
  it('002 turns the sha256 fingerprints of existing findings into their compared JSON text', async () => {
    const t = await dialect.open();
    try {
      const first = { '001_tables': CROSSCHECKS_MIGRATIONS['001_tables'] } as typeof CROSSCHECKS_MIGRATIONS;
      await migratePlugins(t.db, { migrations: [{ pluginName: 'crosschecks', migrations: first }] });
      const compared = { 'list.monitorType': 'sudden', 'register.inPovertyRegistry': false };
      const text = JSON.stringify(compared);
      const sha = createHash('sha256').update(text).digest('hex').slice(0, 32);
      await sql`insert into crosscheck_findings (id, comparison_id, rule_id, list_id, subject, record_id,
          delivery_id, type, severity, compared, fingerprint, owner_org_code, owner_org_path, status,
          resolution, reason, due_date, created_at, updated_at, closed_at, closed_by)
        values ('fd_1', 'prr-monitoring', 'registry-mismatch', 'prr-monitoring', '511923198005050011', null,
          'd1', 'review', 'medium', ${text}, ${sha}, '511923102201', '/510000/', 'closed', 'corrected', null,
          '2021-07-31', '2021-07-01', '2021-07-01', '2021-07-02', 'test')`.execute(t.db);
      await migratePlugins(t.db, {
        migrations: [{ pluginName: 'crosschecks', migrations: CROSSCHECKS_MIGRATIONS }],
      });
      const row = (
        await sql<{
          fingerprint: string;
        }>`select fingerprint from crosscheck_findings where id = 'fd_1'`.execute(t.db)
      ).rows[0];
      // The same text a run now computes for the same values: a closed finding stays closed.
      expect(row?.fingerprint).toBe(fingerprintOf(compared));
      expect(row?.fingerprint).not.toBe(sha);
    } finally {
      await t.destroy();
    }
  });
});
