/**
 * Every text the server itself writes to residents — acknowledgements, chat notices, reply
 * promises, timeline notes, errors' `message` and field messages — in the four locales
 * (catalogue/locales.ts), each written by hand: zh-HK in Hong Kong Traditional wording, ug in
 * Uyghur Arabic script. A few texts only staff read are here too, so no room keeps the old
 * `locale === 'en' ? … : …` two-way choice. Catalogue texts (services, sites, departments …) are
 * the city's, not these.
 *
 * `say(locale, M.conversationClosed)`, `say(locale, M.maxLength(200))`.
 */
import type { Locale, Written } from './catalogue/locales.js';

const w = (zhCN: string, zhHK: string, en: string, ug: string): Written => ({ 'zh-CN': zhCN, 'zh-HK': zhHK, en, ug });

/** The text of `m` in `locale` (a stored locale outside the four reads as zh-CN). */
export function say(locale: Locale | string, m: Written): string {
  return m[locale as Locale] ?? m['zh-CN'];
}

/** Each locale's way of joining a list of labels: 甲、乙 · a, b · ئا، ب. */
export const LIST_SEPARATOR: Written = w('、', '、', ', ', '، ');

/** Lower-cases the first letter of an English sentence put inside another one. */
const inner = (s: string) => `${s.charAt(0).toLowerCase()}${s.slice(1)}`;

export const M = {
  /* ---------------------------------------------------------------- reply promises */
  replyWithinHours: (hours: number) =>
    w(`我们将在${hours}小时内答复`, `我們會在${hours}小時內回覆`, `We reply within ${hours} hours`, `${hours} سائەت ئىچىدە جاۋاب بېرىمىز`),
  replyWithinDays: (days: number) =>
    w(`我们将在${days}个工作日内答复`, `我們會在${days}個工作天內回覆`, `We reply within ${days} working day${days === 1 ? '' : 's'}`, `${days} خىزمەت كۈنى ئىچىدە جاۋاب بېرىمىز`),

  /* ---------------------------------------------------------------- chat */
  ackOnDuty: w(
    '您的问题已收到，工作人员马上在这里答复您。',
    '您的問題已收到，職員會盡快在這裏回覆您。',
    'We have received your question. A member of staff will answer here shortly.',
    'سوئالىڭىزنى تاپشۇرۇۋالدۇق. خادىملىرىمىز ھازىرلا مۇشۇ يەردە جاۋاب بېرىدۇ.',
  ),
  /** `promise`: the reply promise in the same locale. */
  ackOffDuty: (promise: Written) =>
    w(
      `您的问题已收到。目前没有工作人员在线，${promise['zh-CN']}，答复会显示在这里。`,
      `您的問題已收到。目前沒有職員在線，${promise['zh-HK']}，回覆會顯示在這裏。`,
      `We have received your question. Nobody is on duty right now: ${inner(promise.en)}, and the answer will appear here.`,
      `سوئالىڭىزنى تاپشۇرۇۋالدۇق. ھازىر نۆۋەتچى خادىم يوق: ${promise.ug}. جاۋاب مۇشۇ يەردە كۆرۈنىدۇ.`,
    ),
  conversationClosed: w('本次会话已结束', '本次對話已結束', 'This conversation has ended', 'بۇ سۆھبەت ئاخىرلاشتى'),
  /** The chat's notice when staff make it into a request (转工单); `department` is in the chat's locale. */
  workOrderNotice: (reference: string, department: string) =>
    w(
      `您反映的问题已转为工单，交由${department}办理。受理编号：${reference}。您可以在“我的诉求”中查看办理进度。`,
      `您反映的問題已轉為工單，交由${department}處理。受理編號：${reference}。您可以在「我的訴求」中查看處理進度。`,
      `Your question has been made into a request for ${department}. Reference number: ${reference}. You can follow it in My requests.`,
      `سوئالىڭىز ئىلتىماسقا ئايلاندۇرۇلۇپ، ${department} غا بېجىرىشكە تاپشۇرۇلدى. نومۇرى: ${reference}. ئەھۋالىنى «ئىلتىماسلىرىم» دا كۆرەلەيسىز.`,
    ),

  /* ---------------------------------------------------------------- unknown things */
  unknownSite: w('站点不存在', '站點不存在', 'Unknown site', 'بۇ بېكەت تېپىلمىدى'),
  unknownService: w('服务事项不存在', '服務事項不存在', 'Unknown service', 'بۇ مۇلازىمەت تۈرى تېپىلمىدى'),
  nameSiteAndService: w('请指明站点和服务事项', '請指明站點和服務事項', 'Name the site and the service', 'بېكەت ۋە مۇلازىمەت تۈرىنى كۆرسىتىڭ'),
  notValidPlace: w('地点无效', '地點無效', 'Not a valid place', 'ئورۇن ئىناۋەتسىز'),
  required: w('此项为必填', '此項必須填寫', 'Required', 'زۆرۈر'),

  /* ---------------------------------------------------------------- the form's fields */
  fieldRequired: w('此项为必填', '此項必須填寫', 'This field is required', 'بۇ يەرنى چوقۇم تولدۇرۇڭ'),
  fieldsInvalid: w('部分内容填写有误', '部分內容填寫有誤', 'Some fields are not valid', 'بەزى مەزمۇنلار خاتا تولدۇرۇلدى'),
  notValidValue: w('内容无效', '內容無效', 'Not a valid value', 'بۇ قىممەت ئىناۋەتسىز'),
  maxLength: (n: number) => w(`最多${n}个字`, `最多${n}個字`, `At most ${n} characters`, `ئەڭ كۆپ بولغاندا ${n} ھەرپ`),
  minLength: (n: number) => w(`至少${n}个字`, `至少${n}個字`, `At least ${n} characters`, `كەم دېگەندە ${n} ھەرپ`),
  enterNumber: w('请输入数字', '請輸入數字', 'Enter a number', 'سان كىرگۈزۈڭ'),
  notBelow: (n: number | string) => w(`不能小于${n}`, `不能小於${n}`, `At least ${n}`, `${n} دىن كىچىك بولمىسۇن`),
  notAbove: (n: number | string) => w(`不能大于${n}`, `不能大於${n}`, `At most ${n}`, `${n} دىن چوڭ بولمىسۇن`),
  enterDate: w('请输入日期（年-月-日）', '請輸入日期（年-月-日）', 'Enter a date (YYYY-MM-DD)', 'چېسلا كىرگۈزۈڭ (يىل-ئاي-كۈن)'),
  notBefore: (d: number | string) => w(`不能早于${d}`, `不能早於${d}`, `Not before ${d}`, `${d} دىن بۇرۇن بولمىسۇن`),
  notAfter: (d: number | string) => w(`不能晚于${d}`, `不能晚於${d}`, `Not after ${d}`, `${d} دىن كېيىن بولمىسۇن`),
  enterDateTime: w('请输入日期和时间', '請輸入日期和時間', 'Enter a date and time', 'چېسلا ۋە ۋاقىت كىرگۈزۈڭ'),
  chooseOne: w('请选择一项', '請選擇一項', 'Choose one of the options', 'بىرنى تاللاڭ'),
  chooseFromOptions: w('请从选项中选择', '請從選項中選擇', 'Choose from the options', 'تاللانمىلاردىن تاللاڭ'),
  giveLocation: w('请填写地址或在地图上选点', '請填寫地址或在地圖上選點', 'Give an address or a point on the map', 'ئادرېس يېزىڭ ياكى خەرىتىدىن ئورۇن تاللاڭ'),
  maxFiles: (n: number) => w(`最多${n}个文件`, `最多${n}個檔案`, `At most ${n} files`, `ئەڭ كۆپ بولغاندا ${n} ھۆججەت`),
  enterPhone: w('请输入电话号码', '請輸入電話號碼', 'Enter a phone number', 'تېلېفون نومۇرىنى كىرگۈزۈڭ'),
  enterEmail: w('请输入邮箱地址', '請輸入電郵地址', 'Enter an email address', 'ئېلخەت ئادرېسىنى كىرگۈزۈڭ'),

  /* ---------------------------------------------------------------- filing */
  kindNotTaken: w('该事项不受理此类诉求', '此事項不受理這類訴求', 'This service does not take that kind of request', 'بۇ مۇلازىمەت تۈرى بۇ خىل ئىلتىماسنى قوبۇل قىلمايدۇ'),
  kindNotOffered: w('该事项不受理此类诉求', '此事項不受理這類訴求', 'Not offered for this service', 'بۇ مۇلازىمەتتە يوق'),
  consentChanged: w('隐私告知已更新', '私隱聲明已更新', 'The privacy notice has changed', 'شەخسىي مەخپىيەتلىك ئۇقتۇرۇشى يېڭىلاندى'),
  consentReadAgain: w('请阅读并同意最新的告知', '請閲讀並同意最新的聲明', 'Read and accept the current notice', 'يېڭى ئۇقتۇرۇشنى ئوقۇپ قوشۇلۇڭ'),
  tooManyFiles: w('文件过多', '檔案太多', 'Too many files', 'ھۆججەت بەك كۆپ'),
  unknownAttachment: w('附件无效', '附件無效', 'Unknown attachment', 'قوشۇمچە ھۆججەت ئىناۋەتسىز'),
  uploadAgain: w('请重新上传文件', '請重新上載檔案', 'Upload the file again', 'ھۆججەتنى قايتا يۈكلەڭ'),
  unstorable: w(
    '内容含有无法保存的字符（空字符或残缺的代理对）',
    '內容含有無法儲存的字元（空字元或殘缺的代理對）',
    'Some text contains a character that cannot be stored (U+0000 or a broken surrogate pair)',
    'مەزمۇندا ساقلىغىلى بولمايدىغان ھەرپ بار (بوش ھەرپ ياكى بۇزۇلغان ۋاكالەتچى جۈپ)',
  ),
  unstorableField: w('请删除无法保存的字符', '請刪除無法儲存的字元', 'Remove the invalid character', 'ساقلىغىلى بولمايدىغان ھەرپنى ئۆچۈرۈڭ'),

  /* ---------------------------------------------------------------- looking a request up */
  checkReference: w(
    '请核对受理编号：有字符输错或缺少',
    '請核對受理編號：有字元輸錯或缺少',
    'Check the reference: a character is wrong or missing',
    'نومۇرنى تەكشۈرۈڭ: بىرەر ھەرپ خاتا يېزىلغان ياكى كەم قالغان',
  ),
  tokenOrContact: w(
    '请提供访问凭证，或提交时留下的联系方式',
    '請提供存取憑證，或提交時留下的聯絡方式',
    'Give the access token or the contact used for this request',
    'زىيارەت بەلگىسى ياكى ئىلتىماس يوللىغاندا قالدۇرغان ئالاقە ئۇچۇرىنى بېرىڭ',
  ),
  requestNotFound: w(
    '没有找到与该编号和联系方式相符的诉求',
    '沒有找到與該編號和聯絡方式相符的訴求',
    'No request matches this reference and this token or contact',
    'بۇ نومۇر ۋە ئالاقە ئۇچۇرىغا ماس ئىلتىماس تېپىلمىدى',
  ),
  noSuchRequest: w('没有找到该诉求', '找不到此訴求', 'No such request', 'بۇ ئىلتىماس تېپىلمىدى'),
  followFinished: w('该诉求已办结，不能再关注', '此訴求已辦結，不能再關注', 'This request is finished; it can no longer be followed', 'بۇ ئىلتىماس بېجىرىلىپ بولدى، ئەمدى ئەگەشكىلى بولمايدۇ'),

  /* ---------------------------------------------------------------- rating and reopening */
  mergedFollowThat: w(
    '该诉求已合并到另一件诉求，请关注那一件',
    '此訴求已合併到另一宗訴求，請關注該宗訴求',
    'Merged into another request: follow that one',
    'بۇ ئىلتىماس باشقا بىر ئىلتىماسقا بىرلەشتۈرۈلدى، شۇنىڭغا ئەگىشىڭ',
  ),
  feedbackNotYet: w('诉求答复后才能评价', '訴求獲答覆後才能評價', 'Feedback is possible once the request has been answered', 'ئىلتىماسقا جاۋاب بېرىلگەندىن كېيىن باھا بەرگىلى بولىدۇ'),
  feedbackGiven: w('这次答复已经评价过了', '這次答覆已經評價過了', 'Feedback was already given for this answer', 'بۇ جاۋابقا باھا بېرىلىپ بولغان'),
  cannotReopen: w('该诉求目前不能重新办理', '此訴求目前不能重新處理', 'This request cannot be reopened now', 'بۇ ئىلتىماسنى ھازىر قايتا بىر تەرەپ قىلغىلى بولمايدۇ'),
  reopenedNote: w('市民反映问题未解决，重新办理', '市民反映問題未解決，重新處理', 'Reopened: the resident says it is not solved', 'ئاھالە مەسىلە ھەل بولمىدى دېدى، قايتا بىر تەرەپ قىلىنىدۇ'),
  earlierRating: (rating: number) => w(`此前评分 ${rating}/5`, `此前評分 ${rating}/5`, `earlier rating ${rating}/5`, `ئىلگىرىكى باھا ${rating}/5`),
  /** A rating's timeline note, for clients that show only `status` and `note`. */
  ratingNote: (rating: number, resolved: boolean, comment: string | null | undefined) => {
    const c = comment ? { cn: `。${comment}`, en: ` — ${comment}` } : { cn: '', en: '' };
    return w(
      `市民评价：${rating}/5，${resolved ? '已解决' : '未解决'}${c.cn}`,
      `市民評價：${rating}/5，${resolved ? '已解決' : '未解決'}${c.cn}`,
      `Resident's rating: ${rating}/5, ${resolved ? 'solved' : 'not solved'}${c.en}`,
      `ئاھالىنىڭ باھاسى: ${rating}/5، ${resolved ? 'ھەل بولدى' : 'ھەل بولمىدى'}${c.en}`,
    );
  },
  redoNote: w(
    '根据您的评价，已退回承办单位重新办理',
    '根據您的評價，已退回承辦單位重新辦理',
    'Sent back to the office to be redone after your rating',
    'باھايىڭىزغا ئاساسەن ئىش بېجىرگۈچى ئورۇنغا قايتا بېجىرىشكە قايتۇرۇلدى',
  ),
  residentConfirmedSolved: w('市民确认问题已解决', '市民確認問題已解決', 'The resident confirmed it is solved', 'ئاھالە مەسىلىنىڭ ھەل بولغانلىقىنى جەزملەشتۈردى'),

  /* ---------------------------------------------------------------- supervision (督办) */
  escalatedNote: w('已超时，热线中心正在督办', '已超時，熱線中心正在督辦', 'Overdue: the hotline centre is following it up', 'ۋاقتى ئۆتۈپ كەتتى، قىزىق لىنىيە مەركىزى نازارەت قىلىپ بېجىرتىۋاتىدۇ'),
  supervisedNote: w(
    '热线中心正在督办，已要求限期办理',
    '熱線中心正在督辦，已要求限期處理',
    'The hotline centre is supervising it and has set a new time limit',
    'قىزىق لىنىيە مەركىزى نازارەت قىلىپ، يېڭى ۋاقىت چېكى بەلگىلىدى',
  ),

  /* ---------------------------------------------------------------- replies' signatures */
  /** The staff number in a reply's signature (区市场监管局 · 工号 m01). */
  staffNumber: (login: string) => w(`工号 ${login}`, `職員編號 ${login}`, `No. ${login}`, `خىزمەت نومۇرى ${login}`),
  locationLabel: w('地点', '地點', 'Location', 'ئورۇن'),

  /* ---------------------------------------------------------------- staff moves (read by staff) */
  mergeNoReference: w('没有这个受理编号的诉求', '沒有這個受理編號的訴求', 'No request with that reference', 'بۇ نومۇرلۇق ئىلتىماس يوق'),
  mergeIntoItself: w('不能把诉求合并到它自己', '不能把訴求合併到它自己', 'A request cannot be merged into itself', 'ئىلتىماسنى ئۆزىگە بىرلەشتۈرگىلى بولمايدۇ'),
  chooseAnotherRequest: w('请选择另一件诉求', '請選擇另一宗訴求', 'Choose another request', 'باشقا بىر ئىلتىماسنى تاللاڭ'),
  mergeClosed: w('该诉求已关闭，不能再合并', '此訴求已關閉，不能再合併', 'This request is already closed', 'بۇ ئىلتىماس تاقالغان، بىرلەشتۈرگىلى بولمايدۇ'),
  mergeIntoClosed: w('目标诉求已关闭，不能合并到已关闭的诉求', '目標訴求已關閉，不能合併到已關閉的訴求', 'The request to merge into is closed', 'نىشان ئىلتىماس تاقالغان، ئۇنىڭغا بىرلەشتۈرگىلى بولمايدۇ'),
  closedShort: w('已关闭', '已關閉', 'Closed', 'تاقالغان'),
  alreadyWorkOrder: (reference: string) =>
    w(`该会话已转为工单 ${reference}`, `此對話已轉為工單 ${reference}`, `This chat is already work order ${reference}`, `بۇ سۆھبەت ئاللىقاچان ${reference} نومۇرلۇق ئىلتىماسقا ئايلاندۇرۇلغان`),
  describeTheMatter: w(
    '请填写诉求内容：居民尚未发送文字',
    '請填寫訴求內容：市民尚未發送文字',
    'Describe the matter: the resident has written nothing yet',
    'ئىلتىماس مەزمۇنىنى يېزىڭ: ئاھالە تېخى ھېچنېمە يازمىدى',
  ),
  cannedOwnDepartment: w(
    '只能修改本部门的常用语',
    '只能修改本部門的常用語',
    'You may change the canned replies of your own department only',
    'پەقەت ئۆز تارمىقىڭىزنىڭ ئادەتتىكى جاۋابلىرىنىلا ئۆزگەرتەلەيسىز',
  ),
} as const;

/**
 * The protocol's own refusals, thrown before a handler knows the caller's locale (in English, the
 * code's language): errorResponse() says them again in the caller's (`sayAgain`).
 */
export const PROTOCOL_MESSAGES = {
  bodyNotObject: w('请求内容必须是 JSON 对象', '請求內容必須是 JSON 物件', 'The body must be a JSON object', 'يوللانغان مەزمۇن JSON ئوبيېكتى بولۇشى كېرەك'),
  bodyNotJson: w('请求内容不是有效的 JSON', '請求內容不是有效的 JSON', 'The body is not valid JSON', 'يوللانغان مەزمۇن ئىناۋەتلىك JSON ئەمەس'),
  bodyEmpty: w('请求内容为空', '請求內容為空', 'The body is empty', 'يوللانغان مەزمۇن بوش'),
  sendJson: w('请以 JSON 格式发送（application/json）', '請以 JSON 格式發送（application/json）', 'Send the body as application/json', 'مەزمۇننى JSON شەكلىدە يوللاڭ'),
  tooManyRequests: w('请求过于频繁，请稍后再试', '請求過於頻繁，請稍後再試', 'Too many requests; try again later', 'تەلەپ بەك كۆپ بولۇپ كەتتى، سەل تۇرۇپ قايتا سىناڭ'),
  brieflyUnavailable: w('服务暂时不可用，请稍后再试', '服務暫時未能使用，請稍後再試', 'The service is briefly unavailable; please try again shortly', 'مۇلازىمەت ۋاقىتلىق ئىشلىمەيدۇ، سەل تۇرۇپ قايتا سىناڭ'),
  serverError: w('服务器出了问题，请重试', '伺服器出現問題，請重試', 'Something went wrong on our side; please try again', 'بىز تەرەپتە خاتالىق كۆرۈلدى، قايتا سىناڭ'),
  originNotAllowed: w('此网站不能调用本服务', '此網站不能使用本服務', 'This origin is not allowed', 'بۇ تور بېكەتكە رۇخسەت قىلىنمىغان'),
  noSuchEndpoint: w('没有这个接口', '沒有這個介面', 'No such endpoint', 'بۇنداق ئادرېس يوق'),
  conversationTokenRequired: w('需要会话凭证', '需要對話憑證', 'The conversation token is required', 'سۆھبەت بەلگىسى كېرەك'),
  conversationTokenMismatch: w('会话凭证不符', '對話憑證不符', 'The conversation token does not match', 'سۆھبەت بەلگىسى ماس كەلمىدى'),
  conversationNotFound: w('没有找到该会话', '找不到此對話', 'Conversation not found', 'بۇ سۆھبەت تېپىلمىدى'),
  bodyTooLarge: (bytes: number | string) =>
    w(`请求内容超过${bytes}字节`, `請求內容超過${bytes}位元組`, `Body larger than ${bytes} bytes`, `يوللانغان مەزمۇن ${bytes} بايتتىن ئېشىپ كەتتى`),
  nestedTooDeep: (levels: number | string) =>
    w(`请求内容嵌套过深（数组和对象最多${levels}层）`, `請求內容嵌套過深（陣列和物件最多${levels}層）`,
      `The body is nested too deep (at most ${levels} levels of arrays and objects)`, `يوللانغان مەزمۇن بەك چوڭقۇر قاتلانغان (ئەڭ كۆپ بولغاندا ${levels} قەۋەت)`),
} as const;

/**
 * The staff rooms' refusals and field problems written in English where they are thrown (deep in
 * the loop, scope and operator code, which does not know the caller's language): errorResponse()
 * says each again in the language the console asked for (`?locale=`), message and fields alike.
 * Staff read them in the console's error lines; the console translates 403 and 404 by status itself.
 */
export const STAFF_MESSAGES = {
  signIn: w('请先登录', '請先登入', 'Sign in to use the staff API', 'ئالدى بىلەن كىرىڭ'),
  roleNotAllowed: w('您的角色无权进行此操作', '您的角色無權進行此操作', 'Your role does not allow this', 'رولىڭىزنىڭ بۇنى قىلىش ھوقۇقى يوق'),
  accountDisabled: w('此账号已停用，请联系系统管理员', '此帳號已停用，請聯絡系統管理員', 'This account is disabled; ask an administrator', 'بۇ ھېسابات توختىتىلغان، سىستېما باشقۇرغۇچىدىن سوراڭ'),
  sessionEnded: w('登录已失效，请重新登录', '登入已失效，請重新登入', 'This session has ended; sign in again', 'كىرىش ۋاقتى ئۆتتى، قايتا كىرىڭ'),
  tooManyPasswords: w('密码错误次数过多，请稍后再试', '密碼錯誤次數過多，請稍後再試', 'Too many wrong passwords; try again later', 'پارول كۆپ قېتىم خاتا بولدى، سەل تۇرۇپ قايتا سىناڭ'),
  unknownFilter: w('筛选条件无效', '篩選條件無效', 'Unknown filter value', 'سۈزگۈچ قىممىتى ئىناۋەتسىز'),
  unknownDepartment: w('没有这个单位', '沒有這個單位', 'Unknown department', 'بۇ ئورۇن تېپىلمىدى'),
  nameDepartment: w('请选择单位', '請選擇單位', 'Name the department', 'ئورۇننى تاللاڭ'),
  monthFormat: w('月份应写作 YYYY-MM，例如 2026-12', '月份應寫作 YYYY-MM，例如 2026-12', 'month must be YYYY-MM, e.g. 2026-12', 'ئاي YYYY-MM شەكلىدە بولسۇن، مەسىلەن 2026-12'),
  /* who may do what */
  someoneElseHasIt: w('已由他人办理；如需改由您办理，请联系派单员', '已由他人處理；如需改由您處理，請聯絡派單員', 'Someone else has it; ask the dispatcher to reassign it', 'بۇنى باشقا بىرى بېجىرىۋاتىدۇ؛ قايتا تەقسىملەش ئۈچۈن تارقاتقۇچىدىن سوراڭ'),
  dispatcherOrAssignee: w('只有派单员或承办人可以这样做', '只有派單員或承辦人可以這樣做', 'Only the dispatcher or the assignee can do this', 'بۇنى پەقەت تارقاتقۇچى ياكى بېجىرگۈچىلا قىلالايدۇ'),
  dispatcherAssigns: w('只有派单员可以指派给他人；如要自己办理，请认领', '只有派單員可以指派給他人；如要自己處理，請認領', 'Only the dispatcher assigns items to others; claim it to take it', 'باشقىلارغا پەقەت تارقاتقۇچىلا تەقسىملەيدۇ؛ ئۆزىڭىز بېجىرمەكچى بولسىڭىز ئۈستىگە ئېلىڭ'),
  personCannotSee: w('此人无权查看该事项', '此人無權查看此事項', 'This person cannot see this item', 'بۇ كىشى بۇ تۈرنى كۆرەلمەيدۇ'),
  chooseInScope: w('请选择职责范围包含该事项的人员', '請選擇職責範圍包含此事項的人員', 'Choose someone whose scope covers this item', 'مەسئۇلىيەت دائىرىسى بۇ تۈرنى ئۆز ئىچىگە ئالىدىغان كىشىنى تاللاڭ'),
  complaintContact: w(
    '投诉人的联系方式，须经派单员释放或市民同意后才向承办单位显示',
    '投訴人的聯絡方式，須經派單員釋放或市民同意後才向承辦單位顯示',
    'A complaint’s contact is shown to the office only when the dispatcher releases it or the resident agreed',
    'شىكايەتچىنىڭ ئالاقە ئۇچۇرى پەقەت تارقاتقۇچى ئاچقاندا ياكى ئاھالە قوشۇلغاندىلا ئورۇنغا كۆرسىتىلىدۇ',
  ),
  closedMoveBack: w('该诉求已关闭，请先改回“办理中”', '此訴求已關閉，請先改回「處理中」', 'The request is closed; move it back to in_progress first', 'بۇ ئىلتىماس تاقالغان، ئالدى بىلەن «بېجىرىلىۋاتىدۇ» غا قايتۇرۇڭ'),
  /* 退单, 主办 / 协办 (loop/dispatch.ts) */
  onlyHandlerReturns: w('只有承办单位可以退单；派单由派单员负责', '只有承辦單位可以退單；派單由派單員負責', 'Only the office handling it returns it; the dispatcher routes it', 'پەقەت بېجىرگۈچى ئورۇنلا قايتۇرالايدۇ؛ تارقىتىشنى تارقاتقۇچى قىلىدۇ'),
  alreadyReturned: w('已退单，由派单员处理', '已退單，由派單員處理', 'It has already been returned; the dispatcher decides', 'ئاللىقاچان قايتۇرۇلدى، تارقاتقۇچى قارار قىلىدۇ'),
  answeredNotReturnable: w('已答复的事项不能退单', '已回覆的事項不能退單', 'Answered items cannot be returned', 'جاۋاب بېرىلگەن تۈرنى قايتۇرغىلى بولمايدۇ'),
  withCentreAlready: w('该事项已在受理中心', '此事項已在受理中心', 'It is with the intake centre already', 'بۇ تۈر ئاللىقاچان قوبۇل قىلىش مەركىزىدە'),
  onlyDispatcherDecidesReturn: w('只有派单员可以处理退单', '只有派單員可以處理退單', 'Only the dispatcher decides on a return', 'قايتۇرۇشنى پەقەت تارقاتقۇچىلا قارار قىلىدۇ'),
  notWaitingOnReturn: w('该事项没有待处理的退单', '此事項沒有待處理的退單', 'It is not waiting on a return', 'بۇ تۈردە بىر تەرەپ قىلىنىدىغان قايتۇرۇش يوق'),
  onlyDispatcherAssists: w('只有派单员可以指定协办单位', '只有派單員可以指定協辦單位', 'Only the dispatcher names assisting offices', 'ياردەملەشكۈچى ئورۇنلارنى پەقەت تارقاتقۇچىلا بەلگىلەيدۇ'),
  cannotAssist: w('不能指定为协办单位', '不能指定為協辦單位', 'Not an office that can assist', 'بۇ ئورۇننى ياردەملەشكۈچى قىلىپ بەلگىلىگىلى بولمايدۇ'),
  returnedHere: w(
    '该单位已退单：如仍由其办理，请驳回退单',
    '該單位已退單：如仍由其處理，請駁回退單',
    'This office returned it: overrule the return to keep it there',
    'بۇ ئورۇن قايتۇرغان: ئۇنىڭدا قالدۇرۇش ئۈچۈن قايتۇرۇشنى رەت قىلىڭ',
  ),
  overruleToKeep: w('如仍交退单的单位办理，请驳回退单', '如仍交退單的單位處理，請駁回退單', 'Overrule the return to keep it with the office that returned it', 'قايتۇرغان ئورۇندا قالدۇرۇش ئۈچۈن قايتۇرۇشنى رەت قىلىڭ'),
  assistingNotesOnly: w(
    '协办单位以内部备注提供意见，由主办单位答复市民',
    '協辦單位以內部備註提供意見，由主辦單位回覆市民',
    'An assisting office adds internal notes; the lead office answers the resident',
    'ياردەملەشكۈچى ئورۇن ئىچكى ئىزاھات قوشىدۇ، ئاھالىگە باش ئورۇن جاۋاب بېرىدۇ',
  ),
  /* 督办 (loop/supervision.ts) */
  oneNewLimit: w('请给出一个新的时限', '請給出一個新的時限', 'Give one new time limit', 'بىر يېڭى ۋاقىت چېكى بېرىڭ'),
  replyOrResolve: w('答复时限和办结时限只填一项', '回覆時限和辦結時限只填一項', 'Give either replyBy or resolveBy', 'جاۋاب ياكى ھەل قىلىش ۋاقىت چېكىنىڭ بىرىنىلا يېزىڭ'),
  limitInFuture: w('新的时限必须晚于现在', '新的時限必須遲於現在', 'The new time limit must be in the future', 'يېڭى ۋاقىت چېكى ھازىردىن كېيىن بولۇشى كېرەك'),
  laterThanNow: w('必须晚于现在', '必須遲於現在', 'Must be later than now', 'ھازىردىن كېيىن بولۇشى كېرەك'),
  noResolveBy: w('本系统暂不支持办结时限', '本系統暫不支援辦結時限', 'This server has no resolve-by time yet', 'بۇ سىستېمىدا تېخى ھەل قىلىش ۋاقىت چېكى يوق'),
  notSupportedYet: w('暂不支持', '暫不支援', 'Not supported on this server yet', 'تېخى قوللىمايدۇ'),
  requestClosed: w('该诉求已关闭', '此訴求已關閉', 'The request is closed', 'بۇ ئىلتىماس تاقالغان'),
  /* 回访 (loop/ratings.ts) */
  daysRange: w('天数须在 0 到 365 之间', '日數須在 0 至 365 之間', 'days: 0 to 365', 'كۈن سانى 0 دىن 365 كىچە بولسۇن'),
  notAwaitingVisit: w('该答复已评价，或不在待回访状态', '此回覆已評價，或不在待回訪狀態', 'This answer has been rated already or is not waiting for a return visit', 'بۇ جاۋاب باھالانغان ياكى قايتا زىيارەت كۈتمەيدۇ'),
  /* 推送 (delivery/routes.ts) */
  resendWho: w('只有受理中心和承办单位可以重新推送', '只有受理中心和承辦單位可以重新推送', 'Only the intake centre and the offices handling it send it again', 'قايتا يوللاشنى پەقەت قوبۇل قىلىش مەركىزى ۋە بېجىرگۈچى ئورۇنلا قىلالايدۇ'),
  deliveryOff: w('本系统未启用对接推送', '本系統未啟用對接推送', 'Delivery is not running on this server', 'بۇ سىستېمىدا يوللاش ئىشلىمەيدۇ'),
  required: M.required,
  /* notFound(what) */
  requestNotFound: w('没有找到该诉求', '找不到此訴求', 'Request not found', 'بۇ ئىلتىماس تېپىلمىدى'),
  ratingNotFound: w('没有找到该评价', '找不到此評價', 'Rating not found', 'بۇ باھا تېپىلمىدى'),
  cannedNotFound: w('没有找到该常用语', '找不到此常用語', 'Canned reply not found', 'بۇ ئادەتتىكى جاۋاب تېپىلمىدى'),
  attachmentNotFound: w('没有找到该附件', '找不到此附件', 'Attachment not found', 'بۇ قوشۇمچە تېپىلمىدى'),
  accountNotFound: w('没有找到该账号', '找不到此帳號', 'Account not found', 'بۇ ھېسابات تېپىلمىدى'),
  /** A field problem of loop/dispatch.ts (`<office>: choose …`). */
  assistOthers: (office: string) =>
    w(`${office}：请选择主办单位和受理中心以外的单位`, `${office}：請選擇主辦單位和受理中心以外的單位`, `${office}: choose other offices than the lead and the intake centre`, `${office}: باش ئورۇن ۋە قوبۇل قىلىش مەركىزىدىن باشقا ئورۇن تاللاڭ`),
} as const;

const PROTOCOL_PATTERNS: [RegExp, (n: string) => Written][] = [
  [/^Body larger than (\d+) bytes$/, PROTOCOL_MESSAGES.bodyTooLarge],
  [/^The body is nested too deep \(at most (\d+) levels of arrays and objects\)$/, PROTOCOL_MESSAGES.nestedTooDeep],
  [/^(.+): choose other offices than the lead and the intake centre$/, STAFF_MESSAGES.assistOthers],
];
let protocolByEnglish: Map<string, Written> | null = null;

/** A protocol or staff-room refusal written in English, in `locale`; any other message is returned as it is. */
export function sayAgain(message: string, locale: Locale): string {
  if (locale === 'en') return message;
  protocolByEnglish ??= new Map(
    [...Object.values(PROTOCOL_MESSAGES), ...Object.values(STAFF_MESSAGES)].flatMap((m) => (typeof m === 'function' ? [] : [[m.en, m] as const])),
  );
  const m = protocolByEnglish.get(message);
  if (m) return say(locale, m);
  for (const [pattern, make] of PROTOCOL_PATTERNS) {
    const found = pattern.exec(message);
    if (found) return say(locale, make(found[1]!));
  }
  return message;
}

/* ---------------------------------------------------------------- notes stored in another locale */

let byText: Map<string, Written> | null = null;

/**
 * A system note stored in the timeline in the locale the request was filed in, said again in
 * `locale` (a resident who switched language reads the centre's notes in the new one). Notes
 * the server did not write (staff's own words) are returned as they are.
 */
export function restate(note: string, locale: Locale): string {
  if (!byText) {
    byText = new Map();
    for (const m of Object.values(M)) {
      if (typeof m === 'function') continue;
      for (const text of Object.values(m)) if (!byText.has(text)) byText.set(text, m);
    }
  }
  const m = byText.get(note);
  return m ? say(locale, m) : note;
}
