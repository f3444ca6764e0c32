// Types of scripts/build-docs.mjs, for the tests that import it.
export interface DocsOperation {
  operationId: string;
  method: string;
  path: string;
  operation: Record<string, unknown>;
}

export interface OpenApiLike {
  info: { title: string; description?: string };
  paths?: Record<string, Record<string, unknown>>;
  [key: string]: unknown;
}

export declare const docsPaths: {
  spec: string;
  samples: string;
  template: string;
  theme: string;
  output: string;
  redoclyCli: string;
};
export declare const CODE_SAMPLE_LANG: 'TypeScript';
export declare const CODE_SAMPLE_LABEL: 'live-platform-openapi';
export declare const CURL_SAMPLE_LANG: 'curl';
export declare const CURL_SAMPLE_LABEL: 'curl';

export declare function listOperations(spec: OpenApiLike): DocsOperation[];
export declare function readSamples(spec: OpenApiLike, samplesDir?: string): Map<string, string>;
export declare function curlSample(spec: OpenApiLike, operation: DocsOperation): string;
export declare function withIntroLinks<T extends OpenApiLike>(spec: T, outputDir: string): T;
export declare function specWithCodeSamples<T extends OpenApiLike>(spec: T, samples: Map<string, string>): T;
export declare function makeOffline(html: string, themeCss?: string): string;
export declare function offlineProblems(html: string): string[];
export declare function buildDocs(options?: {
  output?: string;
}): Promise<{ output: string; bytes: number; operations: number }>;
