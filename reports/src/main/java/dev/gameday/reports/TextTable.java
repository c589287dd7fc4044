package dev.gameday.reports;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Columns of text padded to a common width: names left-aligned, numbers right-aligned so their digits line up. */
final class TextTable {

    enum Align { LEFT, RIGHT }

    private static final String GAP = "  ";

    private final Align[] aligns;
    private final List<String[]> rows = new ArrayList<>();

    TextTable(Align... aligns) {
        this.aligns = aligns.clone();
    }

    TextTable row(String... cells) {
        if (cells.length != aligns.length) {
            throw new IllegalArgumentException("Table row needs " + aligns.length + " cells, but got " + cells.length
                    + ": " + Arrays.toString(cells));
        }
        rows.add(cells.clone());
        return this;
    }

    /**
     * A line of free text under the previous row, starting where the second column starts; it does not widen any
     * column.
     */
    TextTable note(String text) {
        rows.add(new String[] {text});
        return this;
    }

    void appendTo(StringBuilder out, String indent) {
        int[] widths = new int[aligns.length];
        for (String[] row : rows) {
            if (isNote(row)) {
                continue;
            }
            for (int c = 0; c < row.length; c++) {
                widths[c] = Math.max(widths[c], width(row[c]));
            }
        }
        for (String[] row : rows) {
            if (isNote(row)) {
                String lead = aligns.length > 1 ? " ".repeat(widths[0]) + GAP : "";
                out.append((indent + lead + row[0]).stripTrailing()).append('\n');
                continue;
            }
            StringBuilder line = new StringBuilder(indent);
            for (int c = 0; c < row.length; c++) {
                if (c > 0) {
                    line.append(GAP);
                }
                String pad = " ".repeat(widths[c] - width(row[c]));
                line.append(aligns[c] == Align.RIGHT ? pad + row[c] : row[c] + pad);
            }
            out.append(line.toString().stripTrailing()).append('\n');
        }
    }

    private boolean isNote(String[] row) {
        return row.length == 1 && aligns.length != 1;
    }

    private static int width(String text) {
        return text.codePointCount(0, text.length());
    }
}
