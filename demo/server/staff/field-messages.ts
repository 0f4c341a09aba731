/**
 * Field problems of the staff rooms (staff/, accounts/) said in the staff member's language. The
 * rooms check bodies with valibot, whose own messages are English and written for developers
 * ("Invalid length: Expected >=1 but received 0"), and write some problems themselves in English
 * ("Already in use"). A caller that names its language (the console sends `?locale=` with every
 * call; http.ts askedLocale) gets each field's problem in it, in the words of messages.ts where
 * they exist; a caller that names none gets the English as before.
 *
 * `staffBody(c, Schema)` in place of http.ts jsonBody; `inStaffLocale(c, () => work)` around work
 * that throws the rooms' own English field problems.
 */
import type { Context } from 'hono';
import * as v from 'valibot';
import { issuesToFields } from '../../../src/client/protocol.js';
import type { Locale, Written } from '../catalogue/locales.js';
import { HttpError, askedLocale, readJson, validate } from '../http.js';
import { M, say } from '../messages.js';

const w = (zhCN: string, zhHK: string, en: string, ug: string): Written => ({ 'zh-CN': zhCN, 'zh-HK': zhHK, en, ug });

/** The staff rooms' own problems, by the English they are written in (their `en` is that text). */
export const STAFF_PROBLEMS = {
  required: M.required,
  taken: w('该账号已被使用', '此帳號已被使用', 'Already in use', 'بۇ ھېسابات نامى ئىشلىتىلىۋاتىدۇ'),
  wrongPassword: w('当前密码不正确', '目前密碼不正確', 'Wrong password', 'ھازىرقى پارول خاتا'),
  isLogin: w('密码不能与账号相同', '密碼不可與帳號相同', 'Must not be the login', 'پارول ھېسابات نامى بىلەن ئوخشاش بولمىسۇن'),
  same: w('新密码不能与当前密码相同', '新密碼不可與目前密碼相同', 'Must differ from the current password', 'يېڭى پارول ھازىرقى پارولدىن پەرقلىق بولسۇن'),
  needDepartment: w('承办单位的账号需要选择所属单位', '承辦單位的帳號需要選擇所屬單位', 'Department officers need a department', 'ئورۇن خادىمى ئۈچۈن ئورۇن تاللاڭ'),
  onlyDepartment: w('只有承办单位的账号才有所属单位', '只有承辦單位的帳號才有所屬單位', 'Only department officers have a department', 'پەقەت ئورۇن خادىمىنىڭلا ئورنى بولىدۇ'),
  needSite: w('街道社区的账号需要选择所属街道社区', '街道社區的帳號需要選擇所屬街道社區', 'Site officers need a site', 'مەھەللە خادىمى ئۈچۈن مەھەللە تاللاڭ'),
  onlySite: w('只有街道社区和督办的账号才有所属街道社区', '只有街道社區和督辦的帳號才有所屬街道社區', 'Only site officers and supervisors have a site', 'پەقەت مەھەللە خادىمى ۋە نازارەتچىنىڭلا مەھەللىسى بولىدۇ'),
  unknownDepartment: w('没有这个单位', '沒有這個單位', 'Unknown department', 'بۇ ئورۇن تېپىلمىدى'),
  unknownSite: M.unknownSite,
  login: w(
    '账号只能包含字母、数字和 . _ - @（2–64 位），以字母或数字开头',
    '帳號只可包含字母、數字和 . _ - @（2–64 位），以字母或數字開頭',
    '2–64 letters, digits, . _ - or @, starting with a letter or digit',
    'ھېسابات نامى 2–64 ھەرپ: ھەرپ، سان ۋە . _ - @، ھەرپ ياكى سان بىلەن باشلىنىدۇ',
  ),
  sayWhy: w('请在说明中写明原因', '請在說明中寫明原因', 'Say why in the note', 'سەۋەبىنى ئىزاھاتتا يېزىڭ'),
  tooLong: w('内容过长', '內容過長', 'Too long', 'مەزمۇن بەك ئۇزۇن'),
  /** passwords.ts passwordProblem. */
  passwordShort: (n: number | string, has: number | string) =>
    w(`密码至少需要${n}个字符（现在${has}个）`, `密碼最少需要${n}個字元（現在${has}個）`, `At least ${n} characters (this one has ${has})`, `پارول كەم دېگەندە ${n} ھەرپ بولسۇن (بۇنىڭدا ${has} ھەرپ)`),
  atMostChars: (n: number | string) => w(`最多${n}个字符`, `最多${n}個字元`, `At most ${n} characters`, `ئەڭ كۆپ بولغاندا ${n} ھەرپ`),
  atMostItems: (n: number | string) => w(`最多${n}项`, `最多${n}項`, `At most ${n} items`, `ئەڭ كۆپ بولغاندا ${n} تۈر`),
} as const;

/** The accounts room's refusals of a whole call (not a field's), by their English. */
export const STAFF_REFUSALS = {
  lastAdministrator: w(
    '最后一位系统管理员不能停用，也不能改为其他角色',
    '最後一位系統管理員不可停用，也不可改為其他角色',
    'The last administrator cannot be disabled or given another role',
    'ئەڭ ئاخىرقى سىستېما باشقۇرغۇچىنى توختىتىشقا ياكى باشقا رولغا ئۆزگەرتىشكە بولمايدۇ',
  ),
  builtIn: w(
    '内置账号只能改名、停用或启用',
    '內置帳號只可改名、停用或啟用',
    'The built-in account of the staff token can only be renamed, disabled or enabled',
    'ئىچكى ھېساباتنىڭ پەقەت نامىنى ئۆزگەرتىش، توختىتىش ياكى قوزغىتىشقىلا بولىدۇ',
  ),
  noPassword: w('此账号没有可修改的密码', '此帳號沒有可修改的密碼', 'This account has no password to change', 'بۇ ھېساباتنىڭ ئۆزگەرتىدىغان پارولى يوق'),
  administratorExists: w(
    '已有系统管理员，请向其申请账号',
    '已有系統管理員，請向其申請帳號',
    'There is an administrator already; ask them for an account',
    'سىستېما باشقۇرغۇچى بار، ھېساباتنى ئۇنىڭدىن سوراڭ',
  ),
  setupLinkInvalid: w(
    '此设置链接无效：已使用、已过期或不存在',
    '此設定連結無效：已使用、已過期或不存在',
    'This setup link is not valid: used, expired or unknown',
    'بۇ تەڭشەش ئۇلىنىشى ئىناۋەتسىز: ئىشلىتىلگەن، ۋاقتى ئۆتكەن ياكى تېپىلمىدى',
  ),
} as const;
const REFUSALS = new Map<string, Written>(Object.values(STAFF_REFUSALS).map((m) => [m.en, m] as const));

const BY_ENGLISH = new Map<string, Written>(
  Object.values(STAFF_PROBLEMS).flatMap((m) => (typeof m === 'function' ? [] : [[m.en, m] as const])),
);
const PATTERNS: [RegExp, (found: RegExpExecArray) => Written][] = [
  [/^At least (\d+) characters \(this one has (\d+)\)$/, (f) => STAFF_PROBLEMS.passwordShort(f[1]!, f[2]!)],
  [/^At most (\d+) characters$/, (f) => STAFF_PROBLEMS.atMostChars(f[1]!)],
];

/** One of the rooms' English field problems in `locale`; any other text is returned as it is. */
export function problemIn(locale: Locale, english: string): string {
  if (locale === 'en') return english;
  const known = BY_ENGLISH.get(english);
  if (known) return say(locale, known);
  for (const [pattern, make] of PATTERNS) {
    const found = pattern.exec(english);
    if (found) return say(locale, make(found));
  }
  return english;
}

const lengthOf = (input: unknown) => (typeof input === 'string' ? [...input].length : Array.isArray(input) ? input.length : null);

/** A valibot issue as a person reads it, in `locale`. */
export function issueText(issue: v.BaseIssue<unknown>, locale: Locale): string {
  // A message the schema wrote itself (not valibot's "Invalid …"), when it is one of ours.
  const own = BY_ENGLISH.get(issue.message);
  if (own && own !== STAFF_PROBLEMS.required && own !== STAFF_PROBLEMS.tooLong) return say(locale, own);
  if (issue.input === undefined || issue.input === null) return say(locale, M.required);
  const n = Number(issue.requirement);
  switch (issue.type) {
    case 'min_length':
    case 'non_empty':
      return lengthOf(issue.input) === 0 || issue.type === 'non_empty' ? say(locale, M.required) : say(locale, M.minLength(n));
    case 'max_length':
      return Array.isArray(issue.input) ? say(locale, STAFF_PROBLEMS.atMostItems(n)) : say(locale, M.maxLength(n));
    case 'picklist':
    case 'literal':
    case 'enum':
    case 'union':
    case 'variant':
      return say(locale, M.chooseFromOptions);
    case 'iso_timestamp':
    case 'iso_date_time':
      return say(locale, M.enterDateTime);
    case 'iso_date':
      return say(locale, M.enterDate);
    case 'number':
    case 'integer':
      return say(locale, M.enterNumber);
    case 'min_value':
      return say(locale, M.notBelow(issue.requirement as number));
    case 'max_value':
      return say(locale, M.notAbove(issue.requirement as number));
    case 'email':
      return say(locale, M.enterEmail);
    default:
      return say(locale, M.notValidValue);
  }
}

/** Each field's first problem in `locale` (as protocol.ts issuesToFields, which keeps valibot's English). */
export function issuesIn(issues: readonly v.BaseIssue<unknown>[], locale: Locale): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const issue of issues) fields[v.getDotPath(issue) ?? '_'] ??= issueText(issue, locale);
  return fields;
}

/**
 * http.ts jsonBody for the staff rooms: the same checks and answers, but a caller that names its
 * language gets the 422's message and every field's problem in it.
 */
export async function staffBody<S extends v.GenericSchema>(c: Context, schema: S, options?: { allowEmpty?: boolean }): Promise<{ body: v.InferOutput<S>; raw: string; value: unknown }> {
  const { value, raw } = await readJson(c, options);
  // Not an object: validate()'s 400, as jsonBody answers it.
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return { body: validate(schema, value), raw, value };
  const result = v.safeParse(schema, value);
  if (result.success) return { body: result.output, raw, value };
  const locale = askedLocale(c, value);
  if (!locale) throw new HttpError('validation_failed', 'Some fields are not valid', issuesToFields(result.issues));
  throw new HttpError('validation_failed', say(locale, M.fieldsInvalid), issuesIn(result.issues, locale));
}

/**
 * Runs `work`; a 422 it throws with the rooms' English field problems, or one of the accounts
 * room's refusals (STAFF_REFUSALS), is said in the caller's language.
 */
export async function inStaffLocale<T>(c: Context, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (!(err instanceof HttpError)) throw err;
    const locale = askedLocale(c);
    if (!locale) throw err;
    if (err.code === 'validation_failed' && err.fields) {
      const said = Object.fromEntries(Object.entries(err.fields).map(([k, m]) => [k, problemIn(locale, m)]));
      throw new HttpError('validation_failed', say(locale, M.fieldsInvalid), said, err.retryAfter);
    }
    const refusal = REFUSALS.get(err.message);
    if (refusal) throw new HttpError(err.code, say(locale, refusal), err.fields, err.retryAfter);
    throw err;
  }
}
