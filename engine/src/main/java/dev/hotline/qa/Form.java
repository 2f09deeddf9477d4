package dev.hotline.qa;

import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One version of a QA scorecard: sections of weighted questions. A version never changes once saved: editing a
 * form saves the next version, and every evaluation names the version it was scored on, so a change never alters
 * a past evaluation or its score. Admins write forms as YAML ({@link FormReader}).
 *
 * @param id        the form's id (the same for all its versions)
 * @param version   1, 2, …
 * @param name      shown to evaluators and agents
 * @param sections  in order, each with at least one question
 * @param createdAt when this version was saved
 * @param createdBy who saved it
 */
public record Form(String id, int version, String name, List<Section> sections, Instant createdAt,
                   String createdBy) {

    public static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9_-]{0,31}");

    /**
     * @param id       unique within the form, e.g. {@code greet}
     * @param text     the question as evaluators read it
     * @param scale    yes/no/na or 1–5/na
     * @param weight   1–100: its share of the score is its weight over the sum of the applicable weights
     * @param critical a failing answer fails the whole call (score 0)
     */
    public record Question(String id, String text, Scale scale, int weight, boolean critical) {
        public Question {
            Objects.requireNonNull(id, "id");
            if (!ID.matcher(id).matches()) {
                throw new IllegalArgumentException("question id: '" + id + "' (expected: 1-32 of a-z, 0-9, '-', '_')");
            }
            Objects.requireNonNull(text, "text");
            if (text.isBlank() || text.length() > 300) {
                throw new IllegalArgumentException("question " + id + ": text of " + text.length()
                        + " characters (expected: 1-300)");
            }
            Objects.requireNonNull(scale, "scale");
            if (weight < 1 || weight > 100) {
                throw new IllegalArgumentException("question " + id + ": weight " + weight + " (expected: 1-100)");
            }
        }
    }

    /** A titled group of questions; reports average each section's score across evaluations. */
    public record Section(String title, List<Question> questions) {
        public Section {
            Objects.requireNonNull(title, "title");
            if (title.isBlank() || title.length() > 80) {
                throw new IllegalArgumentException("section title: '" + title + "' (expected: 1-80 characters)");
            }
            questions = List.copyOf(questions);
            if (questions.isEmpty()) {
                throw new IllegalArgumentException("section " + title + ": no questions (expected: at least one)");
            }
        }
    }

    public Form {
        Objects.requireNonNull(id, "id");
        if (!ID.matcher(id).matches()) {
            throw new IllegalArgumentException("form id: '" + id + "' (expected: 1-32 of a-z, 0-9, '-', '_')");
        }
        if (version < 1) {
            throw new IllegalArgumentException("form " + id + ": version " + version + " (expected: >= 1)");
        }
        Objects.requireNonNull(name, "name");
        if (name.isBlank() || name.length() > 100) {
            throw new IllegalArgumentException("form " + id + ": name of " + name.length()
                    + " characters (expected: 1-100)");
        }
        sections = List.copyOf(sections);
        if (sections.isEmpty()) {
            throw new IllegalArgumentException("form " + id + ": no sections (expected: at least one)");
        }
        Set<String> ids = new HashSet<>();
        Set<String> titles = new HashSet<>();
        for (Section s : sections) {
            if (!titles.add(s.title())) {
                throw new IllegalArgumentException("form " + id + ": section '" + s.title() + "' appears twice");
            }
            for (Question q : s.questions()) {
                if (!ids.add(q.id())) {
                    throw new IllegalArgumentException("form " + id + ": question id '" + q.id() + "' appears twice");
                }
            }
        }
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(createdBy, "createdBy");
    }

    public List<Question> questions() {
        return sections.stream().flatMap(s -> s.questions().stream()).toList();
    }

    public Optional<Question> question(String questionId) {
        return questions().stream().filter(q -> q.id().equals(questionId)).findFirst();
    }

    /** The section holding {@code questionId}. */
    public Optional<Section> sectionOf(String questionId) {
        return sections.stream().filter(s -> s.questions().stream().anyMatch(q -> q.id().equals(questionId)))
                .findFirst();
    }

    /** "id v3". */
    public String label() {
        return id + " v" + version;
    }
}
