package org.mlregistry.web.page;

import java.util.Comparator;

/** How a run table sorts a column: numbers by value, then text, then empty cells. */
final class Cells {

    private Cells() {
    }

    /**
     * A cell's sort key.
     *
     * @param kind 0 for a number, 1 for text, 2 for an empty cell
     * @param number the number, 0 for the others
     * @param text the text, empty for the others
     */
    record Key(int kind, double number, String text) {
    }

    static final Comparator<Key> ORDER = Comparator.comparingInt(Key::kind).thenComparingDouble(Key::number).thenComparing(Key::text);

    private static final Key EMPTY = new Key(2, 0, "");

    static Key text(String text) {
        return text.isEmpty() ? EMPTY : new Key(1, 0, text);
    }

    static Key number(double value) {
        return Double.isNaN(value) ? EMPTY : new Key(0, value, "");
    }

    /** A number when the cell reads as one, else text. */
    static Key parse(String cell) {
        if (cell.isEmpty()) {
            return EMPTY;
        }
        if (cell.length() <= 32 && cell.chars().allMatch(c -> Character.isDigit(c) || "+-.eE".indexOf(c) >= 0 || c == 'I' || c == 'N')) {
            try {
                return number(Double.parseDouble(cell));
            } catch (NumberFormatException notANumber) {
                return text(cell);
            }
        }
        return text(cell);
    }
}
