/**
 * The Open311 door's own words in the four locales the server speaks (zh-CN, zh-HK, en, ug), and
 * the locale of a call: `locale` (query or form field, as 6aika's apps send it), else the
 * `Accept-Language` entry by quality that the server has, else zh-CN.
 */
import type { Context } from 'hono';
import { matchHeader, type Locale } from '../catalogue/locales.js';

export interface Four {
  'zh-CN': string;
  'zh-HK': string;
  en: string;
  ug: string;
}

/** The text for `locale`; zh-CN for a locale it does not have. */
export function pick(locale: string, t: Four): string {
  return (t as unknown as Record<string, string | undefined>)[locale] ?? t['zh-CN'];
}

/**
 * The locale of a call: `locale` (query, or the form field given) when it names one of ours, else
 * the `Accept-Language` entry with the highest q that is one of ours, else zh-CN — as
 * catalogue/locales.ts decides it for `/api/v1` (`matchHeader`).
 */
export function doorLocale(c: Context, formLocale?: string): Locale {
  return matchHeader(c.req.query('locale')) ?? matchHeader(formLocale) ?? matchHeader(c.req.header('accept-language')) ?? 'zh-CN';
}

const list = (locale: string, items: readonly string[]) => items.join(pick(locale, { 'zh-CN': '、', 'zh-HK': '、', en: ', ', ug: '، ' }));

/** The door's messages. Each names no submitted value (they are never echoed). */
export const W = {
  required: (l: string) => pick(l, { 'zh-CN': '必填', 'zh-HK': '必須填寫', en: 'Required', ug: 'چوقۇم تولدۇرۇلىدۇ' }),
  unknownService: (l: string) => pick(l, { 'zh-CN': '服务事项不存在', 'zh-HK': '服務事項不存在', en: 'Unknown service_code', ug: 'بۇ مۇلازىمەت تۈرى يوق' }),
  unknownJurisdiction: (l: string) => pick(l, { 'zh-CN': '辖区不存在', 'zh-HK': '轄區不存在', en: 'Unknown jurisdiction_id', ug: 'بۇ رايون يوق' }),
  atMostChars: (l: string, n: number) => pick(l, { 'zh-CN': `最多${n}个字`, 'zh-HK': `最多${n}個字`, en: `At most ${n} characters`, ug: `ئەڭ كۆپ بولغاندا ${n} ھەرپ` }),
  plainText: (l: string) => pick(l, { 'zh-CN': '只能是纯文本，不能含 HTML', 'zh-HK': '只可以是純文字，不可包含 HTML', en: 'Plain text only: no HTML', ug: 'پەقەت ساپ تېكىست بولسۇن، HTML بولمايدۇ' }),
  oneOf: (l: string, items: readonly string[]) => pick(l, { 'zh-CN': `应为：${list(l, items)}`, 'zh-HK': `應為：${list(l, items)}`, en: `One of: ${list(l, items)}`, ug: `مۇنىڭ بىرى بولسۇن: ${list(l, items)}` }),
  oneValue: (l: string) => pick(l, { 'zh-CN': '只能填一个值', 'zh-HK': '只可填一個值', en: 'Give one value', ug: 'پەقەت بىرلا قىممەت بېرىڭ' }),
  once: (l: string, name: string) => pick(l, { 'zh-CN': `${name} 只能提供一次`, 'zh-HK': `${name} 只可提供一次`, en: `Give ${name} once`, ug: `${name} نى پەقەت بىر قېتىم بېرىڭ` }),
  coordinate: (l: string, max: number) => pick(l, { 'zh-CN': `应为 -${max} 到 ${max} 之间的数字`, 'zh-HK': `應為 -${max} 至 ${max} 之間的數字`, en: `A number from -${max} to ${max}`, ug: `-${max} دىن ${max} گىچە بولغان سان بولسۇن` }),
  latLongTogether: (l: string) => pick(l, { 'zh-CN': 'lat 和 long 需同时提供', 'zh-HK': 'lat 與 long 須同時提供', en: 'Send lat and long together', ug: 'lat بىلەن long نى بىللە يوللاڭ' }),
  locationRequired: (l: string) => pick(l, { 'zh-CN': '请提供地点：lat 和 long，或 address_string', 'zh-HK': '請提供地點：lat 與 long，或 address_string', en: 'A location is required: lat and long, or address_string', ug: 'ئورۇن كېرەك: lat بىلەن long ياكى address_string' }),
  nameTooLong: (l: string) => pick(l, { 'zh-CN': '与 last_name 合计最多100个字', 'zh-HK': '與 last_name 合共最多100個字', en: 'At most 100 characters with last_name', ug: 'last_name بىلەن قوشۇپ ئەڭ كۆپ 100 ھەرپ' }),
  badEmail: (l: string) => pick(l, { 'zh-CN': '邮箱地址无效', 'zh-HK': '電郵地址無效', en: 'Not a valid email address', ug: 'ئېلخەت ئادرېسى ئىناۋەتسىز' }),
  badPhone: (l: string) => pick(l, { 'zh-CN': '电话号码无效', 'zh-HK': '電話號碼無效', en: 'Not a valid phone number', ug: 'تېلېفون نومۇرى ئىناۋەتسىز' }),
  notValid: (l: string) => pick(l, { 'zh-CN': '无效', 'zh-HK': '無效', en: 'Not valid', ug: 'ئىناۋەتسىز' }),
  mediaUrl: (l: string) => pick(l, { 'zh-CN': '应为 http(s) 网址，最多2000个字符', 'zh-HK': '應為 http(s) 網址，最多2000個字元', en: 'An http(s) address of at most 2000 characters', ug: 'ئەڭ كۆپ 2000 ھەرپلىك http(s) ئادرېسى بولسۇن' }),
  tooMany: (l: string, n: number) => pick(l, { 'zh-CN': `最多${n}个`, 'zh-HK': `最多${n}個`, en: `At most ${n}`, ug: `ئەڭ كۆپ بولغاندا ${n}` }),
  dateTime: (l: string) => pick(l, { 'zh-CN': '应为 W3C 日期时间，例如 2026-11-27T00:00:00Z', 'zh-HK': '應為 W3C 日期時間，例如 2026-11-27T00:00:00Z', en: 'A W3C date and time, e.g. 2026-11-27T00:00:00Z', ug: 'W3C چېسلا ۋە ۋاقىت بولسۇن، مەسىلەن 2026-11-27T00:00:00Z' }),
  openClosed: (l: string) => pick(l, { 'zh-CN': '应为 open、closed 或两者', 'zh-HK': '應為 open、closed 或兩者', en: 'open, closed, or both', ug: 'open، closed ياكى ھەر ئىككىسى' }),
  kindOfRequest: (l: string) => pick(l, { 'zh-CN': '诉求类型', 'zh-HK': '訴求類型', en: 'Kind of request', ug: 'ئىلتىماس تۈرى' }),
  whenNotGiven: (l: string, kind: string) => pick(l, { 'zh-CN': `不填时为 ${kind}`, 'zh-HK': `不填時為 ${kind}`, en: `When not given: ${kind}`, ug: `بېرىلمىسە: ${kind}` }),
  dateFormat: (l: string) => pick(l, { 'zh-CN': '日期，格式 YYYY-MM-DD（也接受日期时间）', 'zh-HK': '日期，格式 YYYY-MM-DD（亦接受日期時間）', en: 'A date, YYYY-MM-DD (a date and time is also accepted)', ug: 'چېسلا، YYYY-MM-DD شەكلىدە (چېسلا ۋە ۋاقىتمۇ قوبۇل قىلىنىدۇ)' }),
  dateTimeFormat: (l: string) => pick(l, { 'zh-CN': '日期和时间，例如 2026-11-27T23:00', 'zh-HK': '日期及時間，例如 2026-11-27T23:00', en: 'A date and time, e.g. 2026-11-27T23:00', ug: 'چېسلا ۋە ۋاقىت، مەسىلەن 2026-11-27T23:00' }),
  phoneFormat: (l: string) => pick(l, { 'zh-CN': '电话号码', 'zh-HK': '電話號碼', en: 'A phone number', ug: 'تېلېفون نومۇرى' }),
  emailFormat: (l: string) => pick(l, { 'zh-CN': '邮箱地址', 'zh-HK': '電郵地址', en: 'An email address', ug: 'ئېلخەت ئادرېسى' }),
  numberRange: (l: string, min: string, max: string) => pick(l, { 'zh-CN': `数字，${min}至${max}`, 'zh-HK': `數字，${min}至${max}`, en: `A number from ${min} to ${max}`, ug: `${min} دىن ${max} گىچە سان` }),
  /** The public timeline note when an app's REOPEN reopens a request (in the request's locale). */
  reopened: (l: string) => pick(l, {
    'zh-CN': '市民通过 Open311 应用反映问题未解决，重新办理',
    'zh-HK': '市民透過 Open311 應用程式反映問題未解決，重新處理',
    en: 'Reopened: the resident says through an Open311 app it is not solved',
    ug: 'ئاھالە Open311 ئەپى ئارقىلىق مەسىلە ھەل بولمىدى دەپ ئىنكاس قىلدى، قايتا بېجىرىلىدۇ',
  }),
} as const;

/** Request kinds by name, as the `request_type` attribute lists them. */
export const KIND_WORDS: Record<'consultation' | 'help' | 'complaint' | 'suggestion', Four> = {
  consultation: { 'zh-CN': '咨询', 'zh-HK': '諮詢', en: 'Consultation', ug: 'مەسلىھەت سوراش' },
  help: { 'zh-CN': '求助', 'zh-HK': '求助', en: 'Help request', ug: 'ياردەم سوراش' },
  complaint: { 'zh-CN': '投诉', 'zh-HK': '投訴', en: 'Complaint', ug: 'ئەرز-شىكايەت' },
  suggestion: { 'zh-CN': '建议', 'zh-HK': '建議', en: 'Suggestion', ug: 'تەكلىپ' },
};
