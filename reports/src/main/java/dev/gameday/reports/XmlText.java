package dev.gameday.reports;

/**
 * Makes text legal in XML 1.0. The stream writer escapes markup ({@code < & "}) but writes control characters as
 * they are, and a parser rejects a document containing them; fault details and messages can carry anything, for
 * example terminal colour codes from a command's output.
 */
final class XmlText {

    /** What an illegal character is replaced with. */
    static final char REPLACEMENT = '\uFFFD';

    private XmlText() {
    }

    static String legal(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder legal = null;
        for (int i = 0; i < text.length(); ) {
            int codePoint = text.codePointAt(i);
            int length = Character.charCount(codePoint);
            if (!allowed(codePoint)) {
                if (legal == null) {
                    legal = new StringBuilder(text.length()).append(text, 0, i);
                }
                legal.append(REPLACEMENT);
            } else if (legal != null) {
                legal.appendCodePoint(codePoint);
            }
            i += length;
        }
        return legal == null ? text : legal.toString();
    }

    private static boolean allowed(int c) {
        return c == 0x9 || c == 0xA || c == 0xD
                || (c >= 0x20 && c <= 0xD7FF)
                || (c >= 0xE000 && c <= 0xFFFD)
                || (c >= 0x10000 && c <= 0x10FFFF);
    }
}
