package dev.hotline.outbound;

import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * RFC 4180 rows, one at a time, with the line each starts on (a quoted field may span lines). A stray quote inside
 * an unquoted field is kept as text; an unclosed quote at the end of the input is an error naming its line. CRLF,
 * LF and a leading byte-order mark are accepted. Cells are limited to {@value #MAX_CELL} characters.
 */
final class CsvReader {

    static final int MAX_CELL = 10_000;

    record Row(int line, List<String> cells) {
    }

    private final Reader in;
    private int line = 1;
    private int pushed = -2;
    private boolean first = true;

    CsvReader(Reader in) {
        this.in = in;
    }

    /** The line the reader is on. */
    int line() {
        return line;
    }

    Optional<Row> next() throws IOException {
        int c = read();
        if (first) {
            first = false;
            if (c == '\uFEFF') {
                c = read();
            }
        }
        if (c == -1) {
            return Optional.empty();
        }
        int start = line;
        List<String> cells = new ArrayList<>();
        StringBuilder cell = new StringBuilder();
        boolean quoted = false;
        boolean wasQuoted = false;
        while (true) {
            if (quoted) {
                if (c == -1) {
                    throw new IllegalArgumentException("a quote opened on line " + start + " is never closed");
                }
                if (c == '"') {
                    int d = read();
                    if (d == '"') {
                        append(cell, '"', start);
                    } else {
                        quoted = false;
                        c = d;
                        continue;
                    }
                } else {
                    if (c == '\n') {
                        line++;
                    }
                    append(cell, (char) c, start);
                }
            } else if (c == '"' && cell.isEmpty() && !wasQuoted) {
                quoted = true;
                wasQuoted = true;
            } else if (c == ',') {
                cells.add(cell.toString());
                cell.setLength(0);
                wasQuoted = false;
            } else if (c == '\r') {
                int d = read();
                if (d != '\n') {
                    pushed = d;
                }
                line++;
                break;
            } else if (c == '\n') {
                line++;
                break;
            } else if (c == -1) {
                break;
            } else {
                append(cell, (char) c, start);
            }
            c = read();
        }
        cells.add(cell.toString());
        return Optional.of(new Row(start, cells));
    }

    private static void append(StringBuilder cell, char c, int line) {
        if (cell.length() >= MAX_CELL) {
            throw new IllegalArgumentException("a cell on line " + line + " is longer than " + MAX_CELL
                    + " characters");
        }
        cell.append(c);
    }

    private int read() throws IOException {
        if (pushed != -2) {
            int p = pushed;
            pushed = -2;
            return p;
        }
        return in.read();
    }
}
