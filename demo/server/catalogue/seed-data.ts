/**
 * Types of the catalogue tables' texts and fields, shared by the rooms that read them, and the
 * labels of the four request kinds. The demo city itself is a city file: demo-city.json
 * (catalogue-file.ts describes the format; seed.ts loads it at first start).
 */
import type { FieldType, RequestKind } from '../../../src/client/protocol.js';

/**
 * A text per locale as the tables keep it: zh-CN always (the city file requires it), the others
 * where the city wrote them (catalogue/locales.ts picks one, derives zh-HK, falls back).
 */
export type Texts = { 'zh-CN': string; 'zh-HK'?: string; en?: string; ug?: string };

/** A form field as the services table keeps it (the city file's `labels`/`hints` are `label`/`hint` here). */
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

const T = (zhCN: string, zhHK: string, en: string, ug: string): Required<Texts> => ({ 'zh-CN': zhCN, 'zh-HK': zhHK, en, ug });

/** The four kinds as 12345 hotlines name them, written in each locale (Hong Kong says 查詢 for an enquiry). */
export const REQUEST_TYPES: Record<RequestKind, { label: Texts; description: Texts }> = {
  consultation: {
    label: T('咨询', '查詢', 'Question', 'مەسلىھەت'),
    description: T('问政策、问办事流程', '查詢政策、辦事程序', 'Ask about a rule or how to get something done', 'سىياسەت ياكى ئىش بېجىرىش رەسمىيىتىنى سوراش'),
  },
  help: {
    label: T('求助', '求助', 'Help request', 'ياردەم سوراش'),
    description: T('需要有人来处理一个问题', '需要有人來處理問題', 'Something needs fixing or someone needs help', 'بىرەر مەسىلىنى ھەل قىلىدىغان ئادەم كېرەك'),
  },
  complaint: {
    label: T('投诉', '投訴', 'Complaint', 'شىكايەت'),
    description: T('对某事或某项服务不满', '對某事或某項服務不滿', 'Something or some service went wrong', 'بىرەر ئىش ياكى مۇلازىمەتتىن نارازى'),
  },
  suggestion: {
    label: T('建议', '建議', 'Suggestion', 'تەكلىپ'),
    description: T('让社区和城市更好的想法', '令社區和城市更好的意見', 'An idea to make the neighbourhood better', 'مەھەللە ۋە شەھەرنى تېخىمۇ ياخشى قىلىدىغان پىكىر'),
  },
};
