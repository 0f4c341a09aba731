/** Types for scripts/manifest.mjs (used by test/node/manifest.test.ts). */
export interface ManifestItem {
  name: string;
  description?: string;
  type?: { text: string };
  kind?: string;
  attribute?: string;
  fieldName?: string;
  [key: string]: unknown;
}
export interface ManifestElement {
  kind: 'class';
  name: string;
  tagName: string;
  customElement: true;
  description?: string;
  attributes?: ManifestItem[];
  members: ManifestItem[];
  events: ManifestItem[];
  cssParts: ManifestItem[];
  cssProperties: ManifestItem[];
}
export interface Manifest {
  schemaVersion: string;
  modules: { kind: string; path: string; declarations: ManifestElement[]; exports: { kind: string; name: string; declaration: { name: string; module: string } }[] }[];
}
export interface VsCodeData {
  version: number;
  tags: { name: string; description: string; attributes: { name: string; description: string; values?: { name: string }[]; valueSet?: string }[] }[];
}
export interface WebTypes {
  name: string;
  version: string;
  contributions: {
    html: {
      elements: {
        name: string;
        attributes: { name: string }[];
        js: { properties: { name: string }[]; events: { name: string }[] };
        css: { parts: { name: string }[]; properties: { name: string }[] };
      }[];
    };
  };
}
export function buildManifest(): { manifest: Manifest; vscode: VsCodeData; webTypes: WebTypes };
export function writeManifest(outDir?: string): Manifest;
