package dev.hotline.gateway.auth;

import dev.hotline.config.ConfigException;
import dev.hotline.yaml.Fields;
import dev.hotline.yaml.Problems;
import dev.hotline.yaml.YamlLocation;
import dev.hotline.yaml.YamlNode;
import dev.hotline.yaml.YamlProblem;
import dev.hotline.yaml.YamlSyntaxException;
import dev.hotline.yaml.YamlTreeReader;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The gateway's users, read once from the users seed file ({@code users:} list with {@code username},
 * {@code password_hash}, {@code role}, {@code agent}, {@code teams}). Problems are reported with file, line and
 * path, like hotline.yaml's. Plain-text passwords are refused: only bcrypt hashes are accepted.
 */
public final class UserStore {

    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_.-]{0,31}");

    private final Map<String, User> users;

    public UserStore(List<User> users) {
        Map<String, User> m = new LinkedHashMap<>();
        users.forEach(u -> m.put(u.username(), u));
        this.users = Map.copyOf(m);
    }

    public Optional<User> find(String username) {
        return Optional.ofNullable(users.get(username));
    }

    public List<User> all() {
        return users.values().stream().sorted(java.util.Comparator.comparing(User::username)).toList();
    }

    /** Reads {@code file}; an absent file means no users (the gateway then serves only health and metrics). */
    public static UserStore load(Path file) throws ConfigException {
        if (!Files.exists(file)) {
            return new UserStore(List.of());
        }
        String name = file.toString();
        YamlNode root;
        try {
            root = YamlTreeReader.read(file, name);
        } catch (IOException e) {
            throw new ConfigException(List.of(YamlProblem.error(new YamlLocation(name, 1, 1), "",
                    "cannot read file: " + e.getMessage())));
        } catch (YamlSyntaxException e) {
            throw new ConfigException(List.of(e.problem()));
        }
        Problems problems = new Problems();
        Fields top = Fields.of(root, problems, Map.of());
        List<User> out = new ArrayList<>();
        java.util.Set<String> names = new java.util.HashSet<>();
        for (Fields u : top.sections("users")) {
            boolean ok = true;
            String username = u.requiredString("username");
            if (username != null && !NAME.matcher(username).matches()) {
                u.invalid("username", "\"" + username + "\" (expected: 1-32 of a-z, 0-9, '.', '-', '_')");
                ok = false;
            } else if (username != null && !names.add(username)) {
                u.invalid("username", "\"" + username + "\" is used twice (expected: a unique username)");
                ok = false;
            }
            String hash = u.requiredString("password_hash");
            if (hash != null && !Passwords.looksLikeBcrypt(hash)) {
                u.invalid("password_hash", "not a bcrypt hash (expected: $2a$/$2b$/$2y$ + cost + 53 characters;"
                        + " never a plain password)");
                ok = false;
            }
            String roleText = u.requiredString("role");
            Optional<Role> role = roleText == null ? Optional.empty() : Role.parse(roleText);
            if (roleText != null && role.isEmpty()) {
                u.invalid("role", "\"" + roleText + "\" (expected: agent, supervisor or admin)");
            }
            String agent = u.string("agent", null);
            List<String> teams = u.strings("teams", List.of(), t -> t.isBlank() ? "a team name" : null);
            if (role.orElse(null) == Role.AGENT && agent == null) {
                u.missing("agent", "the agent's work number, e.g. \"1001\"");
                ok = false;
            }
            if (role.orElse(null) == Role.SUPERVISOR && teams.isEmpty()) {
                u.missing("teams", "the teams this supervisor oversees, e.g. [team-a]");
                ok = false;
            }
            u.finish();
            if (ok && username != null && hash != null && role.isPresent()) {
                out.add(new User(username, hash, role.get(), Optional.ofNullable(agent), java.util.Set.copyOf(teams)));
            }
        }
        top.finish();
        if (problems.hasErrors()) {
            throw new ConfigException(problems.sorted());
        }
        return new UserStore(out);
    }
}
