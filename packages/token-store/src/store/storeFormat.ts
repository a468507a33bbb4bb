/** The `format` marker of everything the stores of this package serialize (a token file, a Web Storage item). */
export const storeFormat = "@kontist-auth/token-store";

/** The version of that serialization; readers refuse any other. */
export const storeFormatVersion = 1;
