import type { FastifyPluginAsync } from 'fastify';
import { todayInChina } from '../../engine/entry/runtime.ts';
import {
  canSeePii,
  getOrgUnit,
  httpError,
  maskIdNumber,
  type Principal,
  requireRole,
  writeTransaction,
} from '../../engine/entry/server.ts';
import { benefitsError } from './errors.ts';
import { monthOf } from './months.ts';
import { type Benefit, benefitChanges, benefitOf, getBenefit } from './read.ts';
import { BENEFIT_READERS } from './readers.ts';
import { type BenefitStatus, benefitsDb } from './tables.ts';
import { type BenefitChangeRequest, changeBenefit } from './write.ts';

const CHANGE_ACTIONS = ['adjust', 'suspend', 'resume', 'stop'] as const;

const view = (b: Benefit, pii: boolean) => ({
  ...b,
  householdKey: pii ? b.householdKey : maskIdNumber(b.householdKey),
  amount: b.amountCents / 100,
});

/** A benefit inside the caller's subtree, else the same 404 as one that does not exist. */
async function inScope(db: Parameters<typeof getBenefit>[0], p: Principal, id: string): Promise<Benefit> {
  const b = await getBenefit(db, id);
  if (!b?.orgPath.startsWith(p.orgPath)) throw benefitsError('NX_ERR_BENEFITS_NOT_FOUND');
  return b;
}

/**
 * `/api/plugins/benefits/…`: benefits of the caller's subtree, and the four changes. Only civil
 * affairs at county level (roles admin or reviewer, whose unit is a county) changes a benefit:
 * the county bureau fixes who receives what. Finance and the bank read, never change.
 */
export const benefitRoutes: FastifyPluginAsync = async (app) => {
  app.get<{ Querystring: { household?: string; status?: string; limit?: string } }>(
    '/benefits',
    async (req) => {
      const p = requireRole(req, ...BENEFIT_READERS);
      const limit = Math.min(Math.max(Number(req.query.limit ?? 200) || 200, 1), 1000);
      let q = benefitsDb(app.nuanxin.db)
        .selectFrom('benefits')
        .selectAll()
        .where('org_path', 'like', `${p.orgPath}%`);
      if (req.query.household) q = q.where('household_key', '=', req.query.household.toUpperCase());
      if (req.query.status) q = q.where('status', '=', req.query.status as BenefitStatus);
      const rows = await q.orderBy('org_path').orderBy('household_key').orderBy('id').limit(limit).execute();
      return { items: rows.map((r) => view(benefitOf(r), canSeePii(p))) };
    },
  );

  app.get<{ Params: { id: string } }>('/benefits/:id', async (req) => {
    const p = requireRole(req, ...BENEFIT_READERS);
    const b = await inScope(app.nuanxin.db, p, req.params.id);
    return { ...view(b, canSeePii(p)), changes: await benefitChanges(app.nuanxin.db, b.id) };
  });

  app.post<{
    Params: { id: string; action: string };
    Body: { reason?: unknown; effectiveMonth?: unknown; amount?: unknown; version?: unknown } | undefined;
  }>('/benefits/:id/:action', async (req) => {
    const p = requireRole(req, 'admin', 'reviewer');
    const unit = await getOrgUnit(app.nuanxin.db, p.orgCode);
    if (unit?.level !== 'county') throw httpError('NX_ERR_HTTP_FORBIDDEN');
    const action = req.params.action as (typeof CHANGE_ACTIONS)[number];
    if (!CHANGE_ACTIONS.includes(action)) throw benefitsError('NX_ERR_BENEFITS_NOT_FOUND');
    const body = req.body ?? {};
    const amount = body.amount;
    if (amount !== undefined && (typeof amount !== 'number' || !Number.isFinite(amount)))
      throw benefitsError('NX_ERR_BENEFITS_INVALID_CHANGE', undefined, [
        {
          path: '/amount',
          code: 'NX_ERR_BENEFITS_INVALID_CHANGE',
          message: { 'zh-CN': '金额应为数字（元）', en: 'The amount is a number (yuan)' },
        },
      ]);
    // The app's clock (tests and the demo move it).
    const now = app.nuanxin.clock();
    const change: BenefitChangeRequest = {
      action,
      reason: typeof body.reason === 'string' ? body.reason : '',
      effectiveMonth:
        typeof body.effectiveMonth === 'string'
          ? body.effectiveMonth
          : monthOf(todayInChina(Date.parse(now))),
      ...(typeof amount === 'number' ? { amountCents: Math.round(amount * 100) } : {}),
      ...(typeof body.version === 'number' ? { version: body.version } : {}),
      actor: p.username,
      now,
    };
    const b = await writeTransaction(app.nuanxin.db, async (trx) => {
      await inScope(trx, p, req.params.id);
      return changeBenefit(trx, req.params.id, change);
    });
    return view(b, canSeePii(p));
  });
};
