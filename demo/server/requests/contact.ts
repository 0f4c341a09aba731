/** A resident's contact as it is stored and looked up: the same number or address however it was typed. */

/** Digits only, without China's country code before a mobile number (+86 138…, 0086 138…). */
export const normalPhone = (s: string) => s.replace(/\D/g, '').replace(/^(?:00)?86(?=1\d{10}$)/, '');
export const normalEmail = (s: string) => s.trim().toLowerCase();
