/** The media type of a Content-Type header: lower-case, without parameters, `''` when absent. */
export const mediaTypeOf = (header: string | null | undefined): string =>
  (header ?? '').split(';')[0]!.trim().toLowerCase();
