/**
 * Seed data for a sample city (zh-CN and en): the Riverside district, its streets and communities,
 * departments, services with form fields (together every field type), routing rules, a consent
 * notice and a knowledge base. Reply promises follow 12345 practice (DESIGN §8).
 */
import type { FieldType, OfficeHours, RequestKind } from '../../../src/client/protocol.js';

export type Texts = { 'zh-CN': string; en: string };

export interface SeedSite {
  id: string;
  parent: string | null;
  level: 'district' | 'street' | 'community';
  names: Texts;
  officeHours: OfficeHours[];
  replyHours: number;
  phone: string;
}

const weekdays = [1, 2, 3, 4, 5];
const standardHours: OfficeHours[] = [
  { days: weekdays, opens: '08:30', closes: '12:00' },
  { days: weekdays, opens: '13:30', closes: '17:30' },
];

export const SITES: SeedSite[] = [
  { id: 'riverside', parent: null, level: 'district', names: { 'zh-CN': '河畔区', en: 'Riverside District' }, officeHours: standardHours, replyHours: 16, phone: '12345' },
  { id: 'riverside/xinhua', parent: 'riverside', level: 'street', names: { 'zh-CN': '新华街道', en: 'Xinhua Street' }, officeHours: [...standardHours, { days: [6], opens: '09:00', closes: '12:00' }], replyHours: 16, phone: '020-8123-4501' },
  { id: 'riverside/heping', parent: 'riverside', level: 'street', names: { 'zh-CN': '和平街道', en: 'Heping Street' }, officeHours: standardHours, replyHours: 16, phone: '020-8123-4602' },
  { id: 'riverside/xinhua/garden', parent: 'riverside/xinhua', level: 'community', names: { 'zh-CN': '花园社区', en: 'Garden Community' }, officeHours: [{ days: [1, 2, 3, 4, 5, 6], opens: '08:30', closes: '18:00' }], replyHours: 16, phone: '020-8123-4511' },
  { id: 'riverside/xinhua/station', parent: 'riverside/xinhua', level: 'community', names: { 'zh-CN': '车站社区', en: 'Station Community' }, officeHours: standardHours, replyHours: 16, phone: '020-8123-4512' },
  { id: 'riverside/heping/lakeside', parent: 'riverside/heping', level: 'community', names: { 'zh-CN': '湖畔社区', en: 'Lakeside Community' }, officeHours: [{ days: weekdays, opens: '09:00', closes: '17:00' }], replyHours: 16, phone: '020-8123-4621' },
];

export interface SeedDepartment {
  id: string;
  names: Texts;
  phone: string;
  dispatch?: boolean;
}

export const DISPATCH = 'dispatch';

export const DEPARTMENTS: SeedDepartment[] = [
  { id: DISPATCH, names: { 'zh-CN': '区12345热线派单中心', en: 'District 12345 Dispatch Centre' }, phone: '12345', dispatch: true },
  { id: 'housing', names: { 'zh-CN': '区住房和城乡建设局', en: 'District Housing and Construction Bureau' }, phone: '020-8123-1001' },
  { id: 'sanitation', names: { 'zh-CN': '区城市管理和环境卫生局', en: 'District City Management and Sanitation Bureau' }, phone: '020-8123-1002' },
  { id: 'transport', names: { 'zh-CN': '区交通运输局', en: 'District Transport Bureau' }, phone: '020-8123-1003' },
  { id: 'civil-affairs', names: { 'zh-CN': '区民政局', en: 'District Civil Affairs Bureau' }, phone: '020-8123-1004' },
  { id: 'social-security', names: { 'zh-CN': '区人力资源和社会保障局', en: 'District Human Resources and Social Security Bureau' }, phone: '020-8123-1005' },
  { id: 'market-regulation', names: { 'zh-CN': '区市场监督管理局', en: 'District Market Regulation Bureau' }, phone: '020-8123-1006' },
  { id: 'health', names: { 'zh-CN': '区卫生健康委员会', en: 'District Health Commission' }, phone: '020-8123-1007' },
  { id: 'education', names: { 'zh-CN': '区教育局', en: 'District Education Bureau' }, phone: '020-8123-1008' },
  { id: 'police-liaison', names: { 'zh-CN': '区公安分局群众工作联络室', en: 'Public Security Liaison Office' }, phone: '020-8123-1009' },
  { id: 'water', names: { 'zh-CN': '区水务局', en: 'District Water Authority' }, phone: '020-8123-1010' },
  { id: 'xinhua-office', names: { 'zh-CN': '新华街道办事处', en: 'Xinhua Street Office' }, phone: '020-8123-4500' },
  { id: 'heping-office', names: { 'zh-CN': '和平街道办事处', en: 'Heping Street Office' }, phone: '020-8123-4600' },
];

export interface SeedField {
  id: string;
  type: FieldType;
  label: Texts;
  required?: boolean;
  hint?: Texts;
  options?: { value: string; label: Texts }[];
  min?: number | string;
  max?: number | string;
  minLength?: number;
  maxLength?: number;
  maxFiles?: number;
}

export interface SeedService {
  id: string;
  department: string;
  names: Texts;
  group: Texts;
  description: Texts;
  kinds: RequestKind[];
  keywords: { 'zh-CN': string[]; en: string[] };
  fields: SeedField[];
  /** A shorter promise than the site's, counted in clock hours (emergencies, utilities). */
  replyHours?: number;
  roundTheClock?: boolean;
}

const T = (zh: string, en: string): Texts => ({ 'zh-CN': zh, en });
const opt = (value: string, zh: string, en: string) => ({ value, label: T(zh, en) });

const G = {
  environment: T('环境卫生', 'Environment and cleanliness'),
  roads: T('道路交通', 'Roads and transport'),
  utilities: T('水电气', 'Water and utilities'),
  welfare: T('社会保障与救助', 'Benefits and welfare'),
  papers: T('证件办理', 'Documents and permits'),
  consumers: T('消费与市场', 'Shops and consumers'),
  living: T('居住与邻里', 'Housing and neighbours'),
  family: T('教育与健康', 'Schools and health'),
  other: T('其他', 'Other'),
};

const photos = (maxFiles = 3): SeedField => ({
  id: 'photos', type: 'file', label: T('照片或文件', 'Photos or documents'), maxFiles,
  hint: T('可上传最多3个文件（JPG、PNG、WebP、PDF，每个不超过5MB）', 'Up to 3 files (JPG, PNG, WebP, PDF; 5 MB each)'),
});
const place = (required = true): SeedField => ({
  id: 'location', type: 'location', label: T('地点', 'Location'), required,
  hint: T('门牌号、小区名或路口', 'Street number, estate name or crossing'),
});
const callback: SeedField = {
  id: 'callback_phone', type: 'phone', label: T('现场联系电话', 'Phone on site'),
  hint: T('工作人员到场时联系谁', 'Whom staff should call when they arrive'),
};

export const SERVICES: SeedService[] = [
  {
    id: 'rubbish-collection', department: 'sanitation', group: G.environment,
    names: T('垃圾清运', 'Rubbish collection'),
    description: T('垃圾未清运、垃圾桶满溢或损坏、分类投放点问题。', 'Missed collections, overflowing or broken bins, sorting points.'),
    kinds: ['help', 'complaint', 'consultation'],
    keywords: { 'zh-CN': ['垃圾', '清运', '垃圾桶', '分类', '厨余'], en: ['rubbish', 'garbage', 'trash', 'bin', 'waste', 'recycling'] },
    fields: [
      place(),
      { id: 'missed_on', type: 'date', label: T('应清运日期', 'Missed collection date'), max: '2100-12-31' },
      { id: 'bin_type', type: 'single', label: T('垃圾类别', 'Kind of waste'), required: true, options: [
        opt('household', '其他垃圾', 'General waste'), opt('kitchen', '厨余垃圾', 'Food waste'),
        opt('recyclable', '可回收物', 'Recyclables'), opt('hazardous', '有害垃圾', 'Hazardous waste'),
        opt('bulky', '大件垃圾', 'Bulky items')] },
      photos(),
    ],
  },
  {
    id: 'street-cleaning', department: 'sanitation', group: G.environment,
    names: T('道路保洁与绿化', 'Street cleaning and greenery'),
    description: T('路面脏乱、落叶、树木修剪、绿地损坏。', 'Dirty streets, fallen leaves, tree trimming, damaged green spaces.'),
    kinds: ['help', 'complaint', 'suggestion'],
    keywords: { 'zh-CN': ['保洁', '卫生', '树木', '绿化', '落叶'], en: ['cleaning', 'litter', 'tree', 'leaves', 'park'] },
    fields: [place(), { id: 'issue', type: 'multi', label: T('问题', 'Problem'), options: [
      opt('litter', '垃圾杂物', 'Litter'), opt('leaves', '落叶积水', 'Leaves or puddles'),
      opt('tree', '树木需修剪', 'Tree needs trimming'), opt('grass', '绿地损坏', 'Damaged grass')] }, photos()],
  },
  {
    id: 'noise', department: 'sanitation', group: G.living,
    names: T('噪音扰民', 'Noise'),
    description: T('夜间施工、商铺外放、广场舞等噪音。', 'Night-time building work, shop loudspeakers, square dancing and other noise.'),
    kinds: ['complaint', 'consultation'],
    keywords: { 'zh-CN': ['噪音', '吵', '施工', '扰民', '广场舞', '夜间'], en: ['noise', 'loud', 'construction', 'music', 'night'] },
    fields: [
      { id: 'source', type: 'single', label: T('噪音来源', 'Source of the noise'), required: true, options: [
        opt('construction', '建筑施工', 'Building work'), opt('business', '商铺经营', 'A shop or business'),
        opt('dancing', '广场舞', 'Square dancing'), opt('traffic', '交通', 'Traffic'), opt('other', '其他', 'Other')] },
      { id: 'occurred_at', type: 'datetime', label: T('发生时间', 'When it happened'), required: true },
      { id: 'when', type: 'multi', label: T('通常什么时候', 'When it usually happens'), options: [
        opt('night', '夜间（22点后）', 'At night (after 22:00)'), opt('early', '清晨（6点前）', 'Early morning (before 06:00)'),
        opt('weekend', '周末', 'Weekends'), opt('daily', '每天', 'Every day')] },
      place(),
    ],
  },
  {
    id: 'water-outage', department: 'water', group: G.utilities, replyHours: 24, roundTheClock: true,
    names: T('停水与水质', 'Water outage and quality'),
    description: T('突然停水、水压低、水质浑浊、管道漏水。24小时内答复。', 'Sudden outages, low pressure, cloudy water, leaking pipes. Reply within 24 hours.'),
    kinds: ['help', 'complaint', 'consultation'],
    keywords: { 'zh-CN': ['停水', '水压', '水质', '漏水', '自来水'], en: ['water', 'outage', 'pressure', 'leak', 'tap'] },
    fields: [
      place(),
      { id: 'since', type: 'datetime', label: T('从什么时候开始', 'Since when'), required: true },
      { id: 'households', type: 'number', label: T('受影响户数（估计）', 'Households affected (estimate)'), min: 1, max: 10000 },
      callback,
    ],
  },
  {
    id: 'road-hazard', department: 'transport', group: G.roads, replyHours: 2, roundTheClock: true,
    names: T('道路险情（井盖、塌陷）', 'Road hazard (manholes, potholes)'),
    description: T('井盖缺失、路面塌陷、信号灯故障等紧急险情，2小时内响应。', 'Missing manhole covers, collapsed road, broken traffic lights: emergencies, answered within 2 hours.'),
    kinds: ['help', 'complaint'],
    keywords: { 'zh-CN': ['井盖', '塌陷', '坑', '红绿灯', '信号灯', '路面'], en: ['manhole', 'pothole', 'road', 'traffic light', 'collapse'] },
    fields: [
      place(),
      { id: 'hazard', type: 'single', label: T('险情类型', 'Kind of hazard'), required: true, options: [
        opt('manhole', '井盖缺失或损坏', 'Missing or broken manhole cover'), opt('pothole', '路面坑洞或塌陷', 'Pothole or collapse'),
        opt('signal', '信号灯故障', 'Traffic light out'), opt('other', '其他', 'Other')] },
      callback,
      photos(),
    ],
  },
  {
    id: 'parking', department: 'transport', group: G.roads,
    names: T('停车与占道', 'Parking and blocked roads'),
    description: T('违章停车、占用消防通道、共享单车乱停。', 'Illegal parking, blocked fire lanes, dumped shared bikes.'),
    kinds: ['complaint', 'suggestion', 'consultation'],
    keywords: { 'zh-CN': ['停车', '占道', '消防通道', '单车', '车位'], en: ['parking', 'car', 'fire lane', 'bike', 'blocked'] },
    fields: [
      place(),
      { id: 'plate', type: 'text', label: T('车牌号（如知道）', 'Number plate (if known)'), maxLength: 12 },
      { id: 'seen_at', type: 'datetime', label: T('发现时间', 'Seen at') },
    ],
  },
  {
    id: 'residence-permit', department: 'police-liaison', group: G.papers,
    names: T('居住证办理', 'Residence permit'),
    description: T('居住证申领、续签、材料咨询。', 'Applying for or renewing a residence permit, which papers to bring.'),
    kinds: ['consultation', 'help'],
    keywords: { 'zh-CN': ['居住证', '暂住证', '户口', '落户'], en: ['residence permit', 'hukou', 'registration', 'residency'] },
    fields: [
      { id: 'hukou_city', type: 'text', label: T('户籍所在地', 'Where your hukou is registered'), maxLength: 60 },
      { id: 'moved_in', type: 'date', label: T('入住本地日期', 'Date you moved here'), min: '1950-01-01' },
      { id: 'reply_email', type: 'email', label: T('接收材料清单的邮箱', 'Email for the list of papers') },
    ],
  },
  {
    id: 'pension', department: 'social-security', group: G.welfare,
    names: T('养老保险', 'Pension'),
    description: T('养老保险缴费、领取、转移接续。', 'Pension contributions, payments and transfers between cities.'),
    kinds: ['consultation', 'help', 'complaint'],
    keywords: { 'zh-CN': ['养老', '退休', '养老金', '社保', '缴费'], en: ['pension', 'retirement', 'social insurance', 'contribution'] },
    fields: [
      { id: 'age', type: 'number', label: T('年龄', 'Age'), min: 16, max: 120 },
      { id: 'topics', type: 'multi', label: T('想了解', 'What you want to know'), required: true, options: [
        opt('pay', '缴费', 'Paying in'), opt('claim', '领取', 'Drawing a pension'),
        opt('transfer', '转移接续', 'Moving it between cities'), opt('certify', '资格认证', 'Annual check')] },
      { id: 'id_last4', type: 'text', label: T('身份证号后4位', 'Last 4 characters of ID number'), minLength: 4, maxLength: 4,
        hint: T('仅用于查询，不要填写完整号码', 'Only for the lookup; never give the whole number') },
    ],
  },
  {
    id: 'medical-insurance', department: 'social-security', group: G.welfare,
    names: T('医疗保险', 'Medical insurance'),
    description: T('医保参保、报销、异地就医备案。', 'Joining medical insurance, claims, treatment in another city.'),
    kinds: ['consultation', 'help', 'complaint'],
    keywords: { 'zh-CN': ['医保', '报销', '异地就医', '参保', '医疗保险'], en: ['medical insurance', 'health insurance', 'reimbursement', 'claim'] },
    fields: [
      { id: 'scheme', type: 'single', label: T('参保类型', 'Scheme'), required: true, options: [
        opt('employee', '职工医保', 'Employee scheme'), opt('resident', '城乡居民医保', 'Resident scheme'), opt('unsure', '不清楚', 'Not sure')] },
      { id: 'treated_on', type: 'date', label: T('就医日期', 'Date of treatment') },
      { id: 'amount', type: 'number', label: T('费用金额（元）', 'Amount (yuan)'), min: 0, max: 10000000 },
    ],
  },
  {
    id: 'minimum-living', department: 'civil-affairs', group: G.welfare,
    names: T('低保与临时救助', 'Minimum living allowance and emergency aid'),
    description: T('最低生活保障、临时救助的申请条件与进度。', 'Who can get the minimum living allowance or emergency aid, and how an application stands.'),
    kinds: ['consultation', 'help'],
    keywords: { 'zh-CN': ['低保', '救助', '困难', '补助', '特困'], en: ['allowance', 'aid', 'hardship', 'benefit', 'poverty'] },
    fields: [
      { id: 'household_size', type: 'number', label: T('家庭人口', 'People in the household'), required: true, min: 1, max: 20 },
      { id: 'monthly_income', type: 'number', label: T('家庭月收入（元）', 'Household income per month (yuan)'), min: 0, max: 1000000 },
      place(false),
    ],
  },
  {
    id: 'elderly-care', department: 'civil-affairs', group: G.welfare,
    names: T('居家养老服务', 'Care for older people at home'),
    description: T('助餐、上门探访、日间照料、高龄津贴。', 'Meals, home visits, day care, allowances for the very old.'),
    kinds: ['consultation', 'help', 'suggestion'],
    keywords: { 'zh-CN': ['养老服务', '老人', '助餐', '高龄', '探访', '日间照料'], en: ['elderly', 'older people', 'care', 'meals', 'visit'] },
    fields: [
      { id: 'elder_age', type: 'number', label: T('老人年龄', "Older person's age"), min: 60, max: 130 },
      { id: 'needs', type: 'multi', label: T('需要的服务', 'Services needed'), required: true, options: [
        opt('meals', '助餐', 'Meals'), opt('visits', '上门探访', 'Home visits'),
        opt('daycare', '日间照料', 'Day care'), opt('allowance', '高龄津贴', 'Old-age allowance')] },
      { id: 'visit_at', type: 'datetime', label: T('方便上门的时间', 'A good time to visit') },
      callback,
    ],
  },
  {
    id: 'neighbour-dispute', department: 'civil-affairs', group: G.living,
    names: T('邻里纠纷调解', 'Neighbour disputes'),
    description: T('漏水、噪音、占用公共空间等邻里矛盾的调解。', 'Mediation between neighbours: leaks, noise, shared space.'),
    kinds: ['help', 'complaint'],
    keywords: { 'zh-CN': ['邻居', '纠纷', '调解', '楼上', '漏水'], en: ['neighbour', 'dispute', 'mediation', 'upstairs'] },
    fields: [
      { id: 'details', type: 'textarea', label: T('经过', 'What happened'), required: true, maxLength: 2000 },
      place(false),
    ],
  },
  {
    id: 'consumer-rights', department: 'market-regulation', group: G.consumers,
    names: T('消费维权与食品安全', 'Consumer rights and food safety'),
    description: T('商品质量、价格欺诈、预付卡退费、食品安全。', 'Faulty goods, overcharging, prepaid card refunds, food safety.'),
    kinds: ['complaint', 'consultation'],
    keywords: { 'zh-CN': ['消费', '维权', '退款', '预付卡', '食品安全', '价格', '商家'], en: ['refund', 'shop', 'consumer', 'food safety', 'price', 'prepaid card'] },
    fields: [
      { id: 'shop_name', type: 'text', label: T('商家名称', 'Shop name'), required: true, maxLength: 100 },
      { id: 'purchased_on', type: 'date', label: T('消费日期', 'Date of purchase') },
      { id: 'amount', type: 'number', label: T('金额（元）', 'Amount (yuan)'), min: 0, max: 10000000 },
      photos(2),
    ],
  },
  {
    id: 'school-enrolment', department: 'education', group: G.family,
    names: T('入学与学位', 'School places'),
    description: T('幼儿园、小学、初中入学政策与学位申请。', 'Admission rules and applications for kindergarten, primary and middle school.'),
    kinds: ['consultation', 'suggestion', 'complaint'],
    keywords: { 'zh-CN': ['入学', '学位', '上学', '小学', '幼儿园', '学区'], en: ['school', 'enrolment', 'admission', 'kindergarten', 'primary'] },
    fields: [
      { id: 'child_birth_date', type: 'date', label: T('孩子出生日期', "Child's date of birth"), required: true, min: '2005-01-01' },
      { id: 'stage', type: 'single', label: T('学段', 'Stage'), required: true, options: [
        opt('kindergarten', '幼儿园', 'Kindergarten'), opt('primary', '小学', 'Primary school'), opt('middle', '初中', 'Middle school')] },
      { id: 'contact_email', type: 'email', label: T('接收通知的邮箱', 'Email for notices') },
    ],
  },
  {
    id: 'health-services', department: 'health', group: G.family,
    names: T('社区卫生服务', 'Community health services'),
    description: T('家庭医生签约、疫苗接种、社区医院服务。', 'Family doctors, vaccinations, community clinics.'),
    kinds: ['consultation', 'complaint', 'suggestion'],
    keywords: { 'zh-CN': ['家庭医生', '疫苗', '接种', '社区医院', '看病'], en: ['doctor', 'vaccine', 'vaccination', 'clinic', 'health'] },
    fields: [
      { id: 'clinic', type: 'text', label: T('社区卫生服务中心', 'Clinic'), maxLength: 100 },
      { id: 'visited_on', type: 'date', label: T('就诊日期', 'Date of visit') },
      { id: 'details', type: 'textarea', label: T('补充说明', 'More details'), maxLength: 2000 },
    ],
  },
  {
    id: 'housing-repair', department: 'housing', group: G.living,
    names: T('老旧小区与房屋维修', 'Repairs in older housing estates'),
    description: T('屋顶漏水、电梯、公共管道与照明、物业问题。', 'Leaking roofs, lifts, shared pipes and lighting, property management.'),
    kinds: ['help', 'complaint', 'suggestion'],
    keywords: { 'zh-CN': ['维修', '电梯', '漏水', '物业', '老旧小区', '楼道灯'], en: ['repair', 'lift', 'elevator', 'leak', 'roof', 'property management'] },
    fields: [
      { id: 'estate', type: 'text', label: T('小区名称', 'Estate'), required: true, maxLength: 100 },
      { id: 'building', type: 'text', label: T('楼栋单元', 'Building and entrance'), maxLength: 40 },
      { id: 'issues', type: 'multi', label: T('问题', 'Problems'), required: true, options: [
        opt('roof', '屋顶漏水', 'Leaking roof'), opt('lift', '电梯故障', 'Lift out of order'),
        opt('pipes', '公共管道', 'Shared pipes'), opt('lighting', '楼道照明', 'Stairwell lighting'), opt('management', '物业服务', 'Property management')] },
      photos(),
    ],
  },
  {
    id: 'other', department: DISPATCH, group: G.other,
    names: T('其他问题', 'Something else'),
    description: T('不确定归哪个部门？告诉我们，派单中心会转给负责的部门。', 'Not sure who is in charge? Tell us; the dispatch centre passes it to the right department.'),
    kinds: ['consultation', 'help', 'complaint', 'suggestion'],
    keywords: { 'zh-CN': ['其他', '不知道', '建议'], en: ['other', 'not sure', 'idea'] },
    fields: [place(false)],
  },
];

/** Narrowing by site: the rule of the nearest site up the chain wins over the service's owner. */
export const ROUTING_RULES: { service: string; site: string; department: string }[] = [
  { service: 'neighbour-dispute', site: 'riverside/xinhua', department: 'xinhua-office' },
  { service: 'neighbour-dispute', site: 'riverside/heping', department: 'heping-office' },
  { service: 'elderly-care', site: 'riverside/xinhua', department: 'xinhua-office' },
  { service: 'rubbish-collection', site: 'riverside/heping', department: 'heping-office' },
  { service: 'street-cleaning', site: 'riverside/heping', department: 'heping-office' },
];

export const CONSENT = {
  version: '2026-01',
  texts: T(
    '我们仅为办理您的诉求而收集所填信息，转交负责部门处理，保存三年后删除。可以匿名提交；匿名时我们无法回复您，但您仍可凭查询码查看进度。',
    'We collect what you enter only to handle your request and pass it to the department in charge; it is kept for three years, then deleted. You may stay anonymous: we then cannot reply to you, but you can still follow the request with its lookup code.',
  ),
};

export const REQUEST_TYPES: Record<RequestKind, { label: Texts; description: Texts }> = {
  consultation: { label: T('咨询', 'Question'), description: T('问政策、问办事流程', 'Ask about a rule or how to get something done') },
  help: { label: T('求助', 'Help request'), description: T('需要有人来处理一个问题', 'Something needs fixing or someone needs help') },
  complaint: { label: T('投诉', 'Complaint'), description: T('对某事或某项服务不满', 'Something or some service went wrong') },
  suggestion: { label: T('建议', 'Suggestion'), description: T('让社区和城市更好的想法', 'An idea to make the neighbourhood better') },
};

export interface SeedAnswer {
  id: string;
  service?: string;
  zh: [question: string, answer: string, keywords?: string];
  en: [question: string, answer: string, keywords?: string];
}

export const KNOWLEDGE: SeedAnswer[] = [
  { id: 'rubbish-times', service: 'rubbish-collection',
    zh: ['小区垃圾每天什么时候清运？', '生活垃圾每天清运两次：早上7点前和傍晚6点后。厨余垃圾请在早7点至9点、晚6点至8点投放到定时定点投放点。', '垃圾 清运 时间 投放'],
    en: ['When is rubbish collected in my estate?', 'Household waste is collected twice a day: before 07:00 and after 18:00. Put food waste out at the sorting point between 07:00–09:00 or 18:00–20:00.', 'rubbish garbage collection time'] },
  { id: 'rubbish-sorting', service: 'rubbish-collection',
    zh: ['垃圾分类怎么分？', '分为四类：可回收物（纸、塑料瓶、金属）、有害垃圾（电池、灯管、过期药品）、厨余垃圾（剩菜、果皮）、其他垃圾（纸巾、烟头、陶瓷）。', '垃圾分类 可回收 有害 厨余'],
    en: ['How do I sort my rubbish?', 'Four kinds: recyclables (paper, plastic bottles, metal), hazardous waste (batteries, bulbs, old medicine), food waste (leftovers, peel) and general waste (tissues, cigarette ends, ceramics).', 'sorting recycling waste categories'] },
  { id: 'rubbish-bulky', service: 'rubbish-collection',
    zh: ['旧家具、旧床垫怎么扔？', '大件垃圾请预约清运：拨打社区电话或在本网站提交“垃圾清运”求助，选择“大件垃圾”，一般3个工作日内上门收运，免费。', '大件垃圾 家具 床垫 沙发'],
    en: ['How do I get rid of old furniture or a mattress?', 'Book a bulky-waste pickup: call your community office or send a “Rubbish collection” help request and choose “Bulky items”. Pickup is free, usually within 3 working days.', 'bulky furniture mattress sofa'] },
  { id: 'rubbish-missed', service: 'rubbish-collection',
    zh: ['垃圾好几天没人收怎么办？', '请提交“垃圾清运”求助并写明地点，区城管环卫部门会在24小时内安排清运，并在本网站回复处理结果。', '没人收 未清运 垃圾堆积'],
    en: ['Nobody has collected the rubbish for days. What can I do?', 'Send a “Rubbish collection” request with the location. The sanitation bureau arranges a collection within 24 hours and replies here.', 'missed collection pile'] },
  { id: 'residence-permit-apply', service: 'residence-permit',
    zh: ['居住证怎么办理？', '在本区居住满半年，并有合法稳定就业、住所或连续就读之一，可持身份证、居住证明（租房合同或房产证）到街道便民服务中心或派出所申领，15个工作日内发证。', '居住证 办理 申领 材料'],
    en: ['How do I apply for a residence permit?', 'After living here for six months with a stable job, home or school place, bring your ID card and proof of address (tenancy contract or deed) to the street service centre or police station. The permit is issued within 15 working days.', 'residence permit apply papers'] },
  { id: 'residence-permit-renew', service: 'residence-permit',
    zh: ['居住证过期了怎么续签？', '居住证每年签注一次，可在到期前30天内通过“居住证”小程序或到派出所办理签注；过期后需重新登记居住信息。', '居住证 续签 签注 过期'],
    en: ['My residence permit has expired. How do I renew it?', 'The permit is endorsed once a year: within 30 days before it expires, use the residence-permit mini-program or visit the police station. After it lapses you register your address again.', 'renew endorse expired'] },
  { id: 'hukou-transfer', service: 'residence-permit',
    zh: ['户口迁入需要什么条件？', '户口迁入按积分落户、人才引进、投靠直系亲属等类别办理，具体条件请咨询户籍所在派出所户籍窗口。', '户口 落户 迁入'],
    en: ['What do I need to move my hukou here?', 'Hukou transfers follow the points scheme, talent schemes or joining close family; ask the household registration desk at your police station for the details.', 'hukou transfer registration'] },
  { id: 'pension-age', service: 'pension',
    zh: ['养老金什么时候可以领取？', '达到法定退休年龄且累计缴费满15年（逐步提高到20年）即可按月领取。可携身份证到区社保经办大厅或在“掌上社保”办理退休申请。', '养老金 领取 退休 年龄 缴费年限'],
    en: ['When can I draw my pension?', 'Once you reach the statutory retirement age with at least 15 years of contributions (rising gradually to 20), you receive it monthly. Apply at the district social insurance hall with your ID card or in the social insurance app.', 'pension retirement age years'] },
  { id: 'pension-transfer', service: 'pension',
    zh: ['换城市工作，养老保险怎么转？', '在新参保地社保经办机构或国家社会保险公共服务平台申请转移接续，原参保地不需要本人跑腿，一般45个工作日内办结。', '养老保险 转移 接续 换城市'],
    en: ['I changed cities for work. How do I move my pension?', 'Apply for the transfer at the social insurance office where you now work or on the national social insurance platform. You need not visit the old city; it takes up to 45 working days.', 'pension transfer move city'] },
  { id: 'pension-certify', service: 'pension',
    zh: ['退休人员每年都要做资格认证吗？', '是的，每年一次。可在“掌上社保”刷脸认证，也可由社区工作人员上门协助，行动不便的老人可预约。', '资格认证 刷脸 退休人员'],
    en: ['Do retired people have to confirm their eligibility every year?', 'Yes, once a year: by face check in the social insurance app, or community staff can help at home — older people who cannot get out can book a visit.', 'eligibility check annual'] },
  { id: 'pension-flexible', service: 'pension',
    zh: ['灵活就业人员怎么交养老保险？', '持身份证到区社保大厅登记灵活就业参保，可选择缴费档次，按月或按年通过银行代扣缴纳。', '灵活就业 个体 自由职业 养老保险'],
    en: ['I am self-employed. How do I pay into the pension?', 'Register as flexibly employed at the district social insurance hall with your ID card, choose a contribution level and pay monthly or yearly by bank debit.', 'self-employed freelance contributions'] },
  { id: 'medical-join', service: 'medical-insurance',
    zh: ['城乡居民医保怎么参保缴费？', '每年9月至12月集中缴费，可通过税务APP、银行网点或社区代收点缴纳，次年1月1日起享受待遇。新生儿出生后90天内参保可从出生起享受。', '医保 缴费 参保 居民医保'],
    en: ['How do I join the resident medical insurance scheme?', 'Pay between September and December through the tax app, a bank or your community office; cover starts on 1 January. Newborns joined within 90 days are covered from birth.', 'join medical insurance pay'] },
  { id: 'medical-remote', service: 'medical-insurance',
    zh: ['在外地看病医保能报销吗？', '先办理异地就医备案（国家医保服务平台APP即可），在备案地定点医院就医可直接结算；未备案的可回来后凭票据手工报销，比例会降低。', '异地就医 备案 报销 外地'],
    en: ['Can I claim for treatment in another city?', 'Register for treatment elsewhere first (in the national medical insurance app) and bills at listed hospitals there settle directly. Without registering you can claim afterwards with receipts, at a lower rate.', 'treatment another city reimbursement'] },
  { id: 'medical-claim', service: 'medical-insurance',
    zh: ['医保报销需要哪些材料？', '身份证或医保卡、发票原件、费用明细、出院小结（住院时）和银行卡，交到区医保经办窗口，20个工作日内到账。', '报销 材料 发票'],
    en: ['What do I need to claim medical costs?', 'ID or insurance card, original invoices, itemised bill, discharge summary (for hospital stays) and a bank card; hand them in at the district medical insurance desk. Payment within 20 working days.', 'claim papers receipts'] },
  { id: 'noise-construction', service: 'noise',
    zh: ['晚上工地施工太吵怎么办？', '晚10点至早6点禁止产生噪声的施工，确需连续作业须有夜间施工许可并公示。遇到夜间施工扰民可提交“噪音扰民”投诉，城管执法人员会核查。', '噪音 工地 夜间施工 扰民'],
    en: ['A building site is noisy at night. What can I do?', 'Noisy building work is banned from 22:00 to 06:00 unless a night-work permit is posted. Send a “Noise” complaint: city management officers will check.', 'noise construction night'] },
  { id: 'noise-dancing', service: 'noise',
    zh: ['广场舞音响太大声可以管吗？', '可以。公共场所健身活动须控制音量，社区会与活动组织者协商时间和音量；仍然扰民的可投诉，由城管和公安依法处理。', '广场舞 音响 音量'],
    en: ['Can anything be done about loud square-dancing music?', 'Yes. Activities in public places must keep the volume down; the community agrees times and volume with the organisers, and persistent noise can be reported to city management and police.', 'square dancing music volume'] },
  { id: 'noise-neighbour', service: 'neighbour-dispute',
    zh: ['楼上邻居太吵怎么办？', '可以先和邻居友好沟通；沟通不成可申请社区人民调解，调解员会约双方见面。夜间严重噪声可拨打110。', '邻居 楼上 吵 调解'],
    en: ['My upstairs neighbours are too loud. What can I do?', 'Try a friendly word first; if that fails, ask the community for mediation and a mediator will meet you both. Serious noise at night: call 110.', 'neighbour upstairs noise mediation'] },
  { id: 'water-outage-notice', service: 'water-outage',
    zh: ['停水了，哪里能查停水通知？', '计划停水会提前24小时在小区公告栏和区水务局网站公布。没有通知的突然停水请提交“停水与水质”求助，24小时内答复。', '停水 通知 查询'],
    en: ['The water is off. Where can I see outage notices?', 'Planned outages are posted 24 hours ahead on the estate noticeboard and the Water Authority website. For a sudden outage with no notice, send a “Water outage” request: we answer within 24 hours.', 'water outage notice'] },
  { id: 'water-quality', service: 'water-outage',
    zh: ['自来水发黄发浑能喝吗？', '管道维修后可能短时浑浊，放水几分钟一般会变清；持续发黄或有异味请不要饮用，并提交求助，水务部门会上门取样检测。', '水质 发黄 浑浊 异味'],
    en: ['The tap water is yellow or cloudy. Is it safe?', 'After pipe work it can be cloudy for a while; run the tap for a few minutes. If it stays yellow or smells, do not drink it and send a request: the Water Authority will take a sample.', 'water quality yellow cloudy'] },
  { id: 'water-bill', service: 'water-outage',
    zh: ['水费怎么交？', '可通过微信、支付宝“生活缴费”或银行代扣缴纳水费，也可到供水营业厅现场缴纳。', '水费 缴费'],
    en: ['How do I pay the water bill?', 'Pay through the utilities section of WeChat or Alipay, by bank debit, or at the water company office.', 'water bill pay'] },
  { id: 'parking-fire-lane', service: 'parking',
    zh: ['有车堵住消防通道怎么办？', '占用消防通道属违法行为。紧急情况拨打119或110；平时可提交“停车与占道”投诉并附照片，交通部门会联系车主并依法处理。', '消防通道 堵车 占道'],
    en: ['A car is blocking the fire lane. What should I do?', 'Blocking a fire lane is against the law. In an emergency call 119 or 110; otherwise send a “Parking” complaint with a photo and the transport bureau will contact the owner.', 'fire lane blocked car'] },
  { id: 'parking-residents', service: 'parking',
    zh: ['小区周边有居民停车位吗？', '部分路段设有夜间居民停车泊位（晚7点至早7点），需在街道办登记车辆信息，每月收取优惠费用。', '停车位 居民停车 夜间'],
    en: ['Is there residents’ parking near my estate?', 'Some streets have residents’ night parking (19:00–07:00). Register your car with the street office; a reduced monthly fee applies.', 'residents parking night'] },
  { id: 'parking-bikes', service: 'parking',
    zh: ['共享单车乱停乱放谁管？', '由交通部门督促运营企业清理，一般2小时内处理。可提交“停车与占道”投诉并写明地点。', '共享单车 乱停'],
    en: ['Who deals with badly parked shared bikes?', 'The transport bureau makes the operators clear them, usually within 2 hours. Send a “Parking” complaint with the location.', 'shared bikes parked'] },
  { id: 'road-manhole', service: 'road-hazard',
    zh: ['路上井盖丢了怎么办？', '井盖缺失是紧急险情：请先在旁边放置明显标志提醒行人，然后提交“道路险情”求助或拨打12345，2小时内有人到场处置。', '井盖 丢失 险情'],
    en: ['A manhole cover is missing. What should I do?', 'This is an emergency: put something visible next to it to warn people, then send a “Road hazard” request or call 12345. Someone will be there within 2 hours.', 'manhole cover missing'] },
  { id: 'road-lights', service: 'road-hazard',
    zh: ['路口红绿灯坏了找谁？', '信号灯故障请提交“道路险情”求助并写明路口，交通部门2小时内响应；危险时可拨打122。', '红绿灯 信号灯 故障'],
    en: ['The traffic lights at a crossing are broken. Who fixes them?', 'Send a “Road hazard” request naming the crossing; the transport bureau responds within 2 hours. If it is dangerous, call 122.', 'traffic lights broken'] },
  { id: 'minimum-living-apply', service: 'minimum-living',
    zh: ['低保怎么申请？', '家庭人均收入低于本市低保标准且财产符合规定的，可向户籍所在街道提出申请，需要身份证、户口簿、收入证明。街道审核后公示7天，30个工作日内办结。', '低保 申请 条件 最低生活保障'],
    en: ['How do I apply for the minimum living allowance?', 'If household income per person is below the city’s threshold and your assets qualify, apply at the street office where your hukou is, with ID, household register and proof of income. After checks it is posted publicly for 7 days; decided within 30 working days.', 'minimum living allowance apply'] },
  { id: 'emergency-aid', service: 'minimum-living',
    zh: ['家里突发困难能申请临时救助吗？', '可以。因火灾、重病等突发事件导致生活困难的，可向街道或社区申请临时救助，紧急情况可先行救助后补材料。', '临时救助 突发 困难'],
    en: ['Can I get emergency aid after a sudden hardship?', 'Yes. After a fire, serious illness or similar, apply to your street office or community for emergency aid; in urgent cases help comes first and papers later.', 'emergency aid hardship'] },
  { id: 'elderly-meals', service: 'elderly-care',
    zh: ['社区有老年食堂吗？', '各街道都设有长者饭堂，60岁以上老人凭身份证就餐享受补贴，80岁以上和行动不便的老人可预约送餐上门。', '老年食堂 长者饭堂 助餐 送餐'],
    en: ['Is there a canteen for older people?', 'Every street has an elders’ canteen: people over 60 eat at a subsidised price with their ID card, and those over 80 or who cannot get out can book home delivery.', 'elderly canteen meals delivery'] },
  { id: 'elderly-allowance', service: 'elderly-care',
    zh: ['高龄津贴怎么领？', '本市户籍80岁以上老人可领取高龄津贴，由社区代为申请，每月发放到社保卡。', '高龄津贴 80岁'],
    en: ['How do I get the old-age allowance?', 'People over 80 with a local hukou receive a monthly allowance on their social security card; the community applies for you.', 'old-age allowance 80'] },
  { id: 'school-enrol', service: 'school-enrolment',
    zh: ['孩子上小学怎么报名？', '每年5月在区教育局网站进行网上报名，按户籍和房产情况划片入学；非户籍儿童需提供居住证和社保缴纳证明。', '小学 报名 入学 划片 学位'],
    en: ['How do I register my child for primary school?', 'Register online on the district education bureau website in May; places follow catchment by hukou and home. Children without local hukou need a residence permit and proof of social insurance.', 'primary school registration catchment'] },
  { id: 'kindergarten', service: 'school-enrolment',
    zh: ['公办幼儿园怎么报名？', '每年4月至5月公布招生计划，3周岁（当年8月31日前满3周岁）的适龄儿童可在网上报名，名额不足时摇号。', '幼儿园 公办 报名 摇号'],
    en: ['How do I apply for a public kindergarten?', 'Plans are published in April–May; children who are 3 by 31 August apply online, with a lottery when places are short.', 'kindergarten public apply lottery'] },
  { id: 'family-doctor', service: 'health-services',
    zh: ['怎么签约家庭医生？', '可到社区卫生服务中心或通过“健康”APP签约，老人、慢性病患者、孕产妇和儿童优先，签约后可享受预约就诊和慢病长处方。', '家庭医生 签约'],
    en: ['How do I sign up with a family doctor?', 'Sign up at the community health centre or in the health app. Older people, people with chronic illness, pregnant women and children come first; you get booked visits and longer prescriptions.', 'family doctor sign up'] },
  { id: 'vaccination', service: 'health-services',
    zh: ['孩子打疫苗去哪里？', '儿童疫苗在户籍或居住地社区卫生服务中心预防接种门诊接种，请带好预防接种证，提前在小程序预约。', '疫苗 接种 儿童'],
    en: ['Where does my child get vaccinated?', 'At the vaccination clinic of your community health centre; bring the vaccination booklet and book ahead in the mini-program.', 'vaccination child clinic'] },
  { id: 'prepaid-refund', service: 'consumer-rights',
    zh: ['健身房关门了，预付卡钱怎么退？', '保留合同、付款记录和会员卡，先与商家协商；协商不成可提交“消费维权”投诉，市场监管部门会组织调解，也可向法院起诉。', '预付卡 退款 健身房 跑路'],
    en: ['My gym closed down. How do I get my prepaid money back?', 'Keep the contract, payment records and card, and ask the business first. If that fails, send a “Consumer rights” complaint: market regulation will mediate, or you can go to court.', 'prepaid card refund gym'] },
  { id: 'food-safety', service: 'consumer-rights',
    zh: ['买到过期食品怎么办？', '保留商品和购物小票，可要求商家退货并按规定赔偿（价款十倍或损失三倍，最低1000元），商家拒绝的可投诉。', '过期食品 食品安全 赔偿'],
    en: ['I bought food past its date. What now?', 'Keep the item and receipt. You can ask the shop for a refund and compensation (ten times the price or three times the loss, at least 1,000 yuan); complain if they refuse.', 'expired food compensation'] },
  { id: 'lift-repair', service: 'housing-repair',
    zh: ['小区电梯经常坏谁来修？', '电梯由物业或使用单位委托维保单位维修；维修不及时可提交“房屋维修”投诉，住建部门会督促处理。老旧小区加装电梯可咨询街道。', '电梯 故障 维修 加装电梯'],
    en: ['The lift in our building keeps breaking. Who repairs it?', 'The property manager’s lift contractor repairs it; if they are slow, send a “Repairs” complaint and the housing bureau will press them. For adding a lift to an old building, ask the street office.', 'lift elevator repair'] },
  { id: 'roof-leak', service: 'housing-repair',
    zh: ['顶楼漏水可以用维修资金吗？', '屋面属于共用部位，可申请使用住宅专项维修资金，需业主表决同意；老旧小区可纳入改造计划，请联系社区登记。', '漏水 顶楼 维修资金'],
    en: ['Can the maintenance fund pay for a leaking top-floor roof?', 'The roof is shared property, so the housing maintenance fund can pay after owners vote; older estates can be added to the renewal plan — ask your community to list it.', 'roof leak maintenance fund'] },
  { id: 'property-fees', service: 'housing-repair',
    zh: ['物业费收得不合理找谁？', '物业服务收费应明码标价。对收费有异议可先找业主委员会，再向住建部门或市场监管部门投诉。', '物业费 收费'],
    en: ['The property management fees look wrong. Who can I ask?', 'Fees must be clearly listed. Raise it with the owners’ committee first, then complain to the housing or market regulation bureau.', 'property fees management'] },
  { id: 'hotline-12345', service: 'other',
    zh: ['12345热线能做什么？', '12345政务服务便民热线受理咨询、求助、投诉和建议，7×24小时服务，会把您的诉求转给负责部门并回访。本网站提交的诉求与电话同等处理。', '12345 热线 投诉 建议'],
    en: ['What does the 12345 hotline do?', 'The 12345 hotline takes questions, help requests, complaints and suggestions around the clock, passes them to the department in charge and checks back with you. Requests made on this site count the same as calls.', '12345 hotline'] },
  { id: 'track-request', service: 'other',
    zh: ['提交后怎么查进度？', '提交后会得到受理编号（如RS-7KQ2-M9XD-N），在“我的诉求”里输入编号和手机号或邮箱即可查看处理部门和每一步进展。', '进度 查询 受理编号'],
    en: ['How do I follow my request?', 'You get a reference (like RS-7KQ2-M9XD-N). In “My requests” enter it with your phone or email to see the department in charge and every step.', 'track status reference'] },
  { id: 'reply-time', service: 'other',
    zh: ['多久能得到答复？', '一般诉求2个工作日内答复；供水等公共服务24小时内；道路险情等紧急情况2小时内；复杂问题最长15个工作日。', '答复 时间 多久'],
    en: ['How soon will I get an answer?', 'Most requests within 2 working days; utilities within 24 hours; emergencies such as road hazards within 2 hours; complex cases at most 15 working days.', 'reply time how long'] },
  { id: 'anonymous', service: 'other',
    zh: ['可以匿名投诉吗？', '可以。匿名时我们无法回复您，但会给您查询码查看进度。您的联系方式只给处理部门，不会透露给被投诉方。', '匿名 投诉 隐私'],
    en: ['Can I complain anonymously?', 'Yes. We cannot reply to you then, but you get a lookup code to follow it. Your contact details go only to the department handling it, never to the person you complain about.', 'anonymous privacy complaint'] },
];
