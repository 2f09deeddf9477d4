package dev.hotline.ivr.condition;

import dev.hotline.ivr.model.ValueRef;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Parses the condition language of {@code branch} nodes. Grammar (keywords are case-insensitive):
 * <pre>
 *   or      := and ( "or" and )*
 *   and     := unary ( "and" unary )*
 *   unary   := "not" unary | "(" or ")" | test
 *   test    := operand ( ("==" | "=" | "!=" | "<" | "<=" | ">" | ">=") operand
 *                      | "starts with" operand | "ends with" operand | "contains" operand
 *                      | "matches" STRING | "in" "[" literal ("," literal)* "]"
 *                      | "is" ["not"] "empty" )
 *   operand := caller | caller_name | dnis | lang | script | vars.NAME | STRING | NUMBER
 * </pre>
 * A hand-written recursive-descent parser: small, with errors that name the character position.
 */
public final class ConditionParser {

    private enum Kind { WORD, STRING, NUMBER, SYMBOL, END }

    private record Token(Kind kind, String text, int position) {
        boolean is(String word) {
            return (kind == Kind.WORD || kind == Kind.SYMBOL) && text.equalsIgnoreCase(word);
        }

        String shown() {
            return kind == Kind.END ? "the end" : kind == Kind.STRING ? "\"" + text + "\"" : "'" + text + "'";
        }
    }

    private final List<Token> tokens;
    private int next;

    private ConditionParser(List<Token> tokens) {
        this.tokens = tokens;
    }

    public static Condition parse(String text) throws ConditionException {
        ConditionParser p = new ConditionParser(tokenize(text));
        if (p.peek().kind() == Kind.END) {
            throw new ConditionException(1, "empty condition (expected: e.g. vars.tier == \"gold\")");
        }
        Condition c = p.or();
        Token t = p.peek();
        if (t.kind() != Kind.END) {
            throw new ConditionException(t.position(), "unexpected " + t.shown() + " (expected: and, or, or the end)");
        }
        return c;
    }

    private Condition or() throws ConditionException {
        Condition c = and();
        while (peek().is("or")) {
            next++;
            c = new Condition.Or(c, and());
        }
        return c;
    }

    private Condition and() throws ConditionException {
        Condition c = unary();
        while (peek().is("and")) {
            next++;
            c = new Condition.And(c, unary());
        }
        return c;
    }

    private Condition unary() throws ConditionException {
        Token t = peek();
        if (t.is("not")) {
            next++;
            return new Condition.Not(unary());
        }
        if (t.is("(")) {
            next++;
            Condition c = or();
            expect(")", "')'");
            return c;
        }
        return test();
    }

    private Condition test() throws ConditionException {
        Condition.Operand left = operand();
        Token t = take();
        String op = t.text().toLowerCase(Locale.ROOT);
        switch (op) {
            case "==", "=" -> {
                return new Condition.Compare(left, Condition.Op.EQ, operand());
            }
            case "!=" -> {
                return new Condition.Compare(left, Condition.Op.NE, operand());
            }
            case "<" -> {
                return new Condition.Compare(left, Condition.Op.LT, operand());
            }
            case "<=" -> {
                return new Condition.Compare(left, Condition.Op.LE, operand());
            }
            case ">" -> {
                return new Condition.Compare(left, Condition.Op.GT, operand());
            }
            case ">=" -> {
                return new Condition.Compare(left, Condition.Op.GE, operand());
            }
            case "contains" -> {
                return new Condition.Compare(left, Condition.Op.CONTAINS, operand());
            }
            case "starts", "ends" -> {
                expect("with", "'with' after '" + op + "'");
                return new Condition.Compare(left, op.equals("starts") ? Condition.Op.STARTS_WITH
                        : Condition.Op.ENDS_WITH, operand());
            }
            case "matches" -> {
                Token re = take();
                if (re.kind() != Kind.STRING) {
                    throw new ConditionException(re.position(), re.shown()
                            + " (expected: a quoted regular expression after 'matches')");
                }
                try {
                    return new Condition.Matches(left, Pattern.compile(re.text()));
                } catch (PatternSyntaxException e) {
                    throw new ConditionException(re.position(), "bad regular expression \"" + re.text() + "\": "
                            + e.getDescription());
                }
            }
            case "in" -> {
                expect("[", "'[' after 'in'");
                List<String> choices = new ArrayList<>();
                do {
                    Token c = take();
                    if (c.kind() != Kind.STRING && c.kind() != Kind.NUMBER) {
                        throw new ConditionException(c.position(), c.shown() + " (expected: a quoted text or number)");
                    }
                    choices.add(c.text());
                } while (peek().is(",") && take() != null);
                expect("]", "',' or ']'");
                return new Condition.In(left, choices);
            }
            case "is" -> {
                boolean negate = peek().is("not");
                if (negate) {
                    next++;
                }
                expect("empty", "'empty' after 'is'");
                Condition c = new Condition.IsEmpty(left);
                return negate ? new Condition.Not(c) : c;
            }
            default -> throw new ConditionException(t.position(), t.kind() == Kind.END
                    ? "the condition stops after a value (expected: a comparison such as == \"x\", starts with, "
                    + "matches, in, is empty)"
                    : "unknown comparison " + t.shown() + " (expected: ==, !=, <, <=, >, >=, starts with, ends with, "
                    + "contains, matches, in, is empty, is not empty)");
        }
    }

    private Condition.Operand operand() throws ConditionException {
        Token t = take();
        return switch (t.kind()) {
            case STRING, NUMBER -> new Condition.Literal(t.text());
            case WORD -> new Condition.Ref(ValueRef.parse(t.text()).orElseThrow(() -> new ConditionException(
                    t.position(), "unknown value " + t.shown() + " (expected: " + ValueRef.EXPECTED
                    + ", a quoted text or a number)")));
            default -> throw new ConditionException(t.position(), t.shown() + " (expected: " + ValueRef.EXPECTED
                    + ", a quoted text or a number)");
        };
    }

    private void expect(String symbol, String expected) throws ConditionException {
        Token t = take();
        if (!t.is(symbol)) {
            throw new ConditionException(t.position(), t.shown() + " (expected: " + expected + ")");
        }
    }

    private Token peek() {
        return tokens.get(next);
    }

    private Token take() {
        Token t = tokens.get(next);
        if (t.kind() != Kind.END) {
            next++;
        }
        return t;
    }

    private static List<Token> tokenize(String s) throws ConditionException {
        List<Token> out = new ArrayList<>();
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            int pos = i + 1;
            if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '"' || c == '\'') {
                StringBuilder sb = new StringBuilder();
                int j = i + 1;
                while (j < s.length() && s.charAt(j) != c) {
                    if (s.charAt(j) == '\\' && j + 1 < s.length()) {
                        j++;
                    }
                    sb.append(s.charAt(j++));
                }
                if (j >= s.length()) {
                    throw new ConditionException(pos, "text starting here is not closed by " + c);
                }
                out.add(new Token(Kind.STRING, sb.toString(), pos));
                i = j + 1;
            } else if (Character.isDigit(c) || c == '-' && i + 1 < s.length() && Character.isDigit(s.charAt(i + 1))) {
                int j = i + 1;
                while (j < s.length() && (Character.isDigit(s.charAt(j)) || s.charAt(j) == '.')) {
                    j++;
                }
                out.add(new Token(Kind.NUMBER, s.substring(i, j), pos));
                i = j;
            } else if (Character.isLetter(c) || c == '_') {
                int j = i + 1;
                while (j < s.length() && (Character.isLetterOrDigit(s.charAt(j)) || s.charAt(j) == '_'
                        || s.charAt(j) == '.')) {
                    j++;
                }
                out.add(new Token(Kind.WORD, s.substring(i, j), pos));
                i = j;
            } else if ("=!<>".indexOf(c) >= 0) {
                boolean two = i + 1 < s.length() && s.charAt(i + 1) == '=';
                String sym = two ? s.substring(i, i + 2) : String.valueOf(c);
                if (sym.equals("!")) {
                    throw new ConditionException(pos, "'!' (expected: != or the word not)");
                }
                out.add(new Token(Kind.SYMBOL, sym, pos));
                i += sym.length();
            } else if ("()[],".indexOf(c) >= 0) {
                out.add(new Token(Kind.SYMBOL, String.valueOf(c), pos));
                i++;
            } else {
                throw new ConditionException(pos, "unexpected character '" + c + "'");
            }
        }
        out.add(new Token(Kind.END, "", s.length() + 1));
        return out;
    }
}
