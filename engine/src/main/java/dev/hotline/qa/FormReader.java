package dev.hotline.qa;

import dev.hotline.yaml.Fields;
import dev.hotline.yaml.Problems;
import dev.hotline.yaml.YamlNode;
import dev.hotline.yaml.YamlProblem;
import dev.hotline.yaml.YamlSyntaxException;
import dev.hotline.yaml.YamlTreeReader;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads a scorecard written in YAML by an admin, reporting every problem with line and column:
 *
 * <pre>
 * name: Standard call review
 * sections:
 *   - title: Opening
 *     questions:
 *       - {id: greet, text: Greeted the caller by name, scale: yes-no, weight: 2}
 *       - {id: verify, text: Checked the caller's identity, scale: yes-no, weight: 3, critical: true}
 *   - title: Resolution
 *     questions:
 *       - {id: solved, text: Solved the problem, scale: 1-5, weight: 5}
 * </pre>
 */
public final class FormReader {

    private FormReader() {
    }

    /** The form, or every problem found (each with its location in {@code sourceName}). */
    public sealed interface Result {
        record Ok(Form form) implements Result {
        }

        record Invalid(List<YamlProblem> problems) implements Result {
        }
    }

    public static Result read(String text, String sourceName, String formId, int version, Instant at, String by) {
        YamlNode root;
        try {
            root = YamlTreeReader.parse(text, sourceName);
        } catch (YamlSyntaxException e) {
            return new Result.Invalid(List.of(e.problem()));
        }
        Problems problems = new Problems();
        Fields top = Fields.of(root, problems, Map.of());
        String name = top.requiredString("name");
        if (name != null && (name.isBlank() || name.length() > 100)) {
            top.invalid("name", "a name of " + name.length() + " characters (expected: 1-100)");
        }
        List<Form.Section> sections = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        Set<String> titles = new HashSet<>();
        List<Fields> sectionFields = top.sections("sections");
        if (sectionFields.isEmpty() && !problems.hasErrors()) {
            top.missing("sections", "a list of sections, each with a title and questions");
        }
        for (Fields s : sectionFields) {
            String title = s.requiredString("title");
            if (title != null && !titles.add(title)) {
                s.invalid("title", "\"" + title + "\" is used by another section (expected: a title of its own)");
            }
            List<Form.Question> questions = new ArrayList<>();
            List<Fields> questionFields = s.sections("questions");
            if (questionFields.isEmpty()) {
                s.missing("questions", "at least one question");
            }
            for (Fields q : questionFields) {
                question(q, ids).ifPresent(questions::add);
            }
            s.finish();
            if (title != null && !title.isBlank() && title.length() <= 80 && !questions.isEmpty()) {
                sections.add(new Form.Section(title, questions));
            } else if (title != null && (title.isBlank() || title.length() > 80)) {
                s.invalid("title", "a title of " + title.length() + " characters (expected: 1-80)");
            }
        }
        top.finish();
        if (problems.hasErrors()) {
            return new Result.Invalid(problems.sorted());
        }
        return new Result.Ok(new Form(formId, version, name, sections, at, by));
    }

    private static Optional<Form.Question> question(Fields q, Set<String> ids) {
        String id = q.requiredString("id");
        boolean ok = id != null;
        if (id != null && !Form.ID.matcher(id).matches()) {
            q.invalid("id", "\"" + id + "\" (expected: 1-32 of a-z, 0-9, '-', '_')");
            ok = false;
        } else if (id != null && !ids.add(id)) {
            q.invalid("id", "\"" + id + "\" is used by another question (expected: an id of its own)");
            ok = false;
        }
        String text = q.requiredString("text");
        if (text != null && (text.isBlank() || text.length() > 300)) {
            q.invalid("text", "a text of " + text.length() + " characters (expected: 1-300)");
            ok = false;
        }
        String scaleText = q.requiredString("scale");
        Scale scale = null;
        if (scaleText != null) {
            scale = Scale.parse(scaleText).orElse(null);
            if (scale == null) {
                q.invalid("scale", "\"" + scaleText + "\" (expected: yes-no or 1-5)");
            }
        }
        int weight = q.integer("weight", 1, 1, 100);
        boolean critical = q.bool("critical", false);
        q.finish();
        return ok && text != null && scale != null ? Optional.of(new Form.Question(id, text, scale, weight,
                critical)) : Optional.empty();
    }
}
