/**
 * Types of the catalogue tables' texts and fields, shared by the rooms that read them, and the
 * labels of the four request kinds. The demo city itself is a city file: demo-city.json
 * (catalogue-file.ts describes the format; seed.ts loads it at first start).
 */
import type { FieldType, RequestKind } from '../../../src/client/protocol.js';

/** A text in the two locales the server answers in (a city file may carry more; zh-CN is the fallback). */
export type Texts = { 'zh-CN': string; en: string };

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

const T = (zh: string, en: string): Texts => ({ 'zh-CN': zh, en });

export const REQUEST_TYPES: Record<RequestKind, { label: Texts; description: Texts }> = {
  consultation: { label: T('咨询', 'Question'), description: T('问政策、问办事流程', 'Ask about a rule or how to get something done') },
  help: { label: T('求助', 'Help request'), description: T('需要有人来处理一个问题', 'Something needs fixing or someone needs help') },
  complaint: { label: T('投诉', 'Complaint'), description: T('对某事或某项服务不满', 'Something or some service went wrong') },
  suggestion: { label: T('建议', 'Suggestion'), description: T('让社区和城市更好的想法', 'An idea to make the neighbourhood better') },
};
