/** The media type of a `Content-Type` header, lower-cased, without parameters (`charset=…`). */
export function mediaType(contentType: string | undefined): string | undefined {
  const type = contentType?.split(";")[0]?.trim().toLowerCase();
  return type === "" ? undefined : type;
}
