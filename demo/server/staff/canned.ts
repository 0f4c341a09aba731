/**
 * Canned replies per department (`/staff/canned-replies`, docs/staff-api.md): each department
 * keeps its own; the intake centre's (the dispatch department's) are shared with everybody.
 * Department officers see theirs and the shared ones and edit their own; administrators edit all;
 * the dispatcher, supervisors and administrators see all (`?department=` narrows to that one's and
 * the shared ones: what a composer for that department offers). Placeholders
 * (`{居民称呼}`, `{reference}` …) are filled in by the console when a reply is inserted.
 */
import type { Context, Hono } from 'hono';
import type { Db, Queryable } from '../storage/db.js';
import type { Texts } from '../catalogue/seed-data.js';
import { dispatchDepartment, getDepartment, text, type Locale } from '../catalogue/catalog.js';
import { M, say } from '../messages.js';
import { HttpError, newId, notFound } from '../http.js';
import { staffBody } from './field-messages.js';
import { localeOf, type ServerContext } from '../context.js';
import { audit, staffOf, type StaffUser } from './identity.js';
import {
  CannedReplyInputSchema,
  CannedReplyPatchSchema,
  type CannedRepliesResponse,
  type CannedReply,
} from './staff-api.js';

interface CannedRow {
  id: string;
  department_id: string;
  title: string;
  text: string;
  sort: number;
  updated_at: Date;
  names: Texts;
  is_dispatch: boolean;
}

/** Roles that see every department's canned replies. */
const SEES_ALL: readonly StaffUser['role'][] = ['dispatcher', 'supervisor', 'administrator'];

function mayEdit(user: StaffUser, row: Pick<CannedRow, 'department_id'>): boolean {
  return user.role === 'administrator' || (user.role === 'department' && !!user.departmentId && user.departmentId === row.department_id);
}

function out(row: CannedRow, user: StaffUser, locale: Locale): CannedReply {
  return {
    id: row.id,
    department: { id: row.department_id, name: text(row.names, locale) },
    shared: row.is_dispatch,
    title: row.title,
    text: row.text,
    sort: Number(row.sort),
    updatedAt: new Date(row.updated_at).toISOString(),
    editable: mayEdit(user, row),
  };
}

const SELECT = `SELECT c.id, c.department_id, c.title, c.text, c.sort, c.updated_at, d.names, d.is_dispatch
  FROM canned_replies c JOIN departments d ON d.id = c.department_id`;

async function visibleRow(q: Queryable, user: StaffUser, id: string): Promise<CannedRow> {
  const rows = id.length <= 200 ? await q.query<CannedRow & Record<string, unknown>>(`${SELECT} WHERE c.id = $1`, [id]) : [];
  const row = rows[0];
  if (!row || !(SEES_ALL.includes(user.role) || row.is_dispatch || row.department_id === user.departmentId)) throw notFound('Canned reply');
  return row;
}

function forbidden(c: Context): HttpError {
  return new HttpError('forbidden', say(localeOf(c), M.cannedOwnDepartment));
}

/** The department a new or moved reply belongs to, if the caller may write there. */
async function targetDepartment(c: Context, q: Queryable, user: StaffUser, requested: string | undefined): Promise<string> {
  if (user.role !== 'administrator' && user.role !== 'department') throw forbidden(c);
  const id = requested ?? user.departmentId ?? (user.role === 'administrator' ? (await dispatchDepartment(q)).id : null);
  if (!id) throw new HttpError('validation_failed', 'Name the department', { department: 'Required' });
  if (!(await getDepartment(q, id))) throw new HttpError('validation_failed', 'Unknown department', { department: 'Unknown department' });
  if (!mayEdit(user, { department_id: id })) throw forbidden(c);
  return id;
}

export function registerCanned(app: Hono, ctx: ServerContext): void {
  app.get('/staff/canned-replies', async (c) => {
    const user = staffOf(c);
    const locale = localeOf(c);
    const department = c.req.query('department') || null;
    const search = (c.req.query('q') ?? '').trim().slice(0, 100);
    const all = SEES_ALL.includes(user.role);
    const rows = await ctx.db.query<CannedRow & Record<string, unknown>>(
      `${SELECT}
       WHERE ($1::boolean OR d.is_dispatch OR c.department_id = $2)
         AND ($3::text IS NULL OR c.department_id = $3 OR d.is_dispatch)
         AND ($4 = '' OR position(lower($4) IN lower(c.title || ' ' || c.text)) > 0)
       ORDER BY d.is_dispatch DESC, d.sort, c.sort, c.title, c.id`,
      [all, user.departmentId ?? '', department, search],
    );
    const body: CannedRepliesResponse = { replies: rows.map((r) => out(r, user, locale)) };
    return c.json(body);
  });

  app.post('/staff/canned-replies', async (c) => {
    const user = staffOf(c);
    const { body } = await staffBody(c, CannedReplyInputSchema);
    const id = newId();
    const department = await targetDepartment(c, ctx.db, user, body.department);
    await ctx.db.query('INSERT INTO canned_replies (id, department_id, title, text, sort) VALUES ($1, $2, $3, $4, $5)', [
      id, department, body.title, body.text, body.sort ?? 0,
    ]);
    await audit(ctx, user, 'canned_change', { kind: 'canned_reply', id }, { change: 'create', department, title: body.title });
    return c.json(out(await visibleRow(ctx.db, user, id), user, localeOf(c)), 201);
  });

  app.patch('/staff/canned-replies/:id', async (c) => {
    const user = staffOf(c);
    const row = await visibleRow(ctx.db, user, c.req.param('id'));
    if (!mayEdit(user, row)) throw forbidden(c);
    const { body } = await staffBody(c, CannedReplyPatchSchema);
    const department = body.department ? await targetDepartment(c, ctx.db, user, body.department) : row.department_id;
    await ctx.db.query('UPDATE canned_replies SET department_id = $2, title = $3, text = $4, sort = $5, updated_at = now() WHERE id = $1', [
      row.id, department, body.title ?? row.title, body.text ?? row.text, body.sort ?? row.sort,
    ]);
    const changed = Object.keys(body).filter((k) => body[k as keyof typeof body] !== undefined);
    await audit(ctx, user, 'canned_change', { kind: 'canned_reply', id: row.id }, { change: 'update', fields: changed, department });
    return c.json(out(await visibleRow(ctx.db, user, row.id), user, localeOf(c)));
  });

  app.delete('/staff/canned-replies/:id', async (c) => {
    const user = staffOf(c);
    const row = await visibleRow(ctx.db, user, c.req.param('id'));
    if (!mayEdit(user, row)) throw forbidden(c);
    await ctx.db.query('DELETE FROM canned_replies WHERE id = $1', [row.id]);
    await audit(ctx, user, 'canned_change', { kind: 'canned_reply', id: row.id }, { change: 'delete', department: row.department_id, title: row.title });
    return c.body(null, 204);
  });
}

/* ---------------------------------------------------------------- the demo city's canned replies */

/** Per department id: [title, text]. The dispatch department's are the intake centre's, shared. */
export const DEMO_CANNED_REPLIES: Record<string, [string, string][]> = {
  dispatch: [
    ['问候', '{居民称呼}您好，这里是12345政务服务便民热线，请问有什么可以帮您？'],
    ['请补充地址', '{居民称呼}您好，为了尽快安排处理，请告诉我们具体地址（小区、楼栋、门牌号）和发生的时间。'],
    ['已转工单', '{居民称呼}您好，您反映的问题已登记为工单，受理编号 {reference}，我们会转交相关部门办理，请留意后续答复。'],
    ['请留联系方式', '如方便，请留下您的联系电话，承办部门可能需要与您核实情况。您的个人信息仅用于办理本次诉求。'],
    ['结束语', '感谢您的来电来信，如还有其他问题，欢迎随时联系我们。祝您生活愉快！'],
  ],
  housing: [
    ['物业维修', '{居民称呼}您好，关于您反映的房屋维修问题，我局已通知物业服务企业在3个工作日内上门查看，如未按时处理请再次联系我们。'],
    ['加装电梯', '既有住宅加装电梯需经本单元业主表决同意，具体流程和补贴标准可咨询所在街道办事处，或查看区住建局网站公告。'],
    ['违建核查', '您反映的违法建设线索已收悉，我局将会同街道城管执法中队现场核查，核查结果会在工单 {reference} 中答复您。'],
  ],
  sanitation: [
    ['垃圾清运', '{居民称呼}您好，已通知环卫作业单位今日内完成清运，如明天仍未清理请告诉我们。'],
    ['夜间施工', '关于夜间施工噪音，我局已安排执法人员夜间巡查，发现未办理夜间施工许可的将依法处理。'],
    ['占道经营', '您反映的占道经营问题已转辖区城管中队处理，执法人员将在2个工作日内到场劝导整改。'],
  ],
  transport: [
    ['道路破损', '{居民称呼}您好，道路破损已通知养护单位设置警示标志并尽快修复，出行请注意安全。'],
    ['公交线路', '关于公交线路和班次的建议已记录，我们会转交公交公司研究，结果将在工单 {reference} 中回复。'],
    ['违停处理', '违停问题请您提供车牌号和具体位置，我们会联系交警部门依法处理。'],
  ],
  'civil-affairs': [
    ['低保申请', '申请最低生活保障需向户籍所在街道（乡镇）提出，携带身份证、户口簿和家庭收入证明，具体材料清单可咨询社区居委会。'],
    ['养老服务', '{居民称呼}您好，社区居家养老服务可预约助餐、助浴和上门探访，我们已请社区工作人员与您联系。'],
    ['邻里纠纷', '您反映的邻里纠纷已转社区人民调解委员会，调解员会尽快与双方联系，约定调解时间。'],
  ],
  'social-security': [
    ['养老保险查询', '个人养老保险缴费记录可通过"粤省事"或社保网上服务平台查询，也可携带身份证到区社保服务大厅打印。'],
    ['医保报销', '{居民称呼}您好，异地就医报销需先办理备案，出院后携带费用清单、发票和病历到医保经办窗口申请。'],
    ['欠薪投诉', '关于拖欠工资，请提供用工单位名称、工作时间和欠薪金额，劳动保障监察大队将在5个工作日内核查。'],
  ],
  'market-regulation': [
    ['消费投诉受理', '{居民称呼}您好，您的消费投诉已受理，我局将在7个工作日内组织调解，请保留好购物凭证。'],
    ['食品安全', '您反映的食品安全问题我局已安排执法人员现场检查，如发现违法行为将依法查处。'],
    ['价格问题', '关于价格问题，请提供商家名称、地址和价格标示照片，便于我们核查处理。'],
  ],
  health: [
    ['疫苗接种', '儿童疫苗接种请到所在社区卫生服务中心预防接种门诊，建议提前通过公众号预约。'],
    ['医疗服务投诉', '{居民称呼}您好，您反映的医疗服务问题已转医院医务科核查，处理结果会在工单 {reference} 中答复您。'],
  ],
  education: [
    ['入学报名', '小学一年级新生报名一般在每年5月至6月进行，具体时间和材料以区教育局官网发布的招生公告为准。'],
    ['学位咨询', '{居民称呼}您好，学位分配与户籍和住房情况有关，请携带户口簿和房产证明到区教育局招生办咨询。'],
  ],
  'police-liaison': [
    ['居住证办理', '办理居住证需在居住地连续居住满半年，携带身份证、租赁合同或房产证明到辖区派出所办理。'],
    ['户籍咨询', '{居民称呼}您好，户口迁移的材料和流程可咨询辖区派出所户籍窗口，工作日上午9点至下午5点办理。'],
  ],
  water: [
    ['停水通知', '{居民称呼}您好，该区域因管网维修临时停水，预计今天18时前恢复供水，给您带来不便敬请谅解。'],
    ['水压不足', '您反映的水压不足问题已通知供水公司派员检测，维修人员会提前电话联系您。'],
  ],
  'xinhua-office': [
    ['社区上门', '{居民称呼}您好，新华街道已安排网格员上门了解情况，网格员会出示工作证件。'],
    ['办事指引', '相关业务可到新华街道党群服务中心一楼综合窗口办理，工作日8:30—12:00、14:00—17:30。'],
  ],
  'heping-office': [
    ['社区上门', '{居民称呼}您好，和平街道已安排社区工作人员与您联系，了解具体情况后尽快处理。'],
    ['办事指引', '相关业务可到和平街道政务服务中心办理，办理前可拨打街道服务电话预约。'],
  ],
};

/**
 * Gives the demo city its canned replies once: on a database that has none yet (its own step, not
 * part of the catalogue file). Departments that are not there are skipped.
 */
export async function seedCannedReplies(db: Db): Promise<void> {
  await db.tx(async (q) => {
    await q.query('SELECT pg_advisory_xact_lock(727103)');
    const any = await q.query('SELECT 1 FROM canned_replies LIMIT 1');
    if (any.length) return;
    const departments = new Set((await q.query<{ id: string }>('SELECT id FROM departments')).map((r) => r.id));
    for (const [department, replies] of Object.entries(DEMO_CANNED_REPLIES)) {
      if (!departments.has(department)) continue;
      for (const [i, [title, body]] of replies.entries()) {
        await q.query('INSERT INTO canned_replies (id, department_id, title, text, sort) VALUES ($1, $2, $3, $4, $5)', [
          `seed-${department}-${i + 1}`, department, title, body, (i + 1) * 10,
        ]);
      }
    }
  });
}
