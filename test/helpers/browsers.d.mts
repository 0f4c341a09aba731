export function chromiumPath(): string | undefined;
export function firefoxPath(): string | undefined;
export function webkitDriverPath(): string | undefined;
export function miniBrowserPath(): string | undefined;
export const chromiumArgs: string[];
