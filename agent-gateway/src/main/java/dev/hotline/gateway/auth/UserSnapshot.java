package dev.hotline.gateway.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The last users table read, kept in a file of the data folder (owner-only: it holds the bcrypt hashes), so that a
 * gateway started while its database is unreachable applies what the table last said — disabled users, reset
 * passwords — instead of the seed file's entries. Written atomically (temporary file, then rename) after every read
 * of the table and every change; read once, at start.
 *
 * <p>Format: JSON {@code {"format": 1, "takenAt": ..., "users": [{username, passwordHash, role, agentId, teams,
 * enabled, origin, createdAt, updatedAt, updatedBy}]}}. A file that cannot be read or holds an invalid entry is
 * refused as a whole ({@link Result.Unusable}): the gateway then lets nobody log in until the table is read.
 */
public final class UserSnapshot {

    /** The file name, in the data folder ({@code database.data_dir}). */
    public static final String FILE_NAME = "gateway-users.json";
    static final int FORMAT = 1;
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;

    public UserSnapshot(Path file) {
        this.file = file;
    }

    public Path file() {
        return file;
    }

    /** What {@link #read()} found. */
    public sealed interface Result {
        /** No snapshot yet (first start, or the table never read by this data folder). */
        record Absent() implements Result {
        }

        /** The users as the table last had them, and when that was. */
        record Users(List<UserAccount> accounts, Instant takenAt) implements Result {
        }

        /** A snapshot that exists but cannot be trusted: why. */
        record Unusable(String reason) implements Result {
        }
    }

    /** Reads the snapshot; tightens its permissions to owner-only if they were wider. */
    public Result read() {
        if (!Files.exists(file)) {
            return new Result.Absent();
        }
        try {
            ownerOnly(file);
            JsonNode root = JSON.readTree(file.toFile());
            if (root == null || !root.isObject() || root.path("format").asInt() != FORMAT) {
                return new Result.Unusable("not a users snapshot of format " + FORMAT);
            }
            Instant takenAt = Instant.parse(root.path("takenAt").asText());
            List<UserAccount> out = new ArrayList<>();
            JsonNode users = root.path("users");
            if (!users.isArray()) {
                return new Result.Unusable("field 'users' is missing");
            }
            for (int i = 0; i < users.size(); i++) {
                JsonNode u = users.get(i);
                String hash = u.path("passwordHash").asText("");
                if (!Passwords.looksLikeBcrypt(hash)) {
                    return new Result.Unusable("users[" + i + "]: passwordHash is not a bcrypt hash");
                }
                Optional<Role> role = Role.parse(u.path("role").asText(""));
                if (role.isEmpty()) {
                    return new Result.Unusable("users[" + i + "]: role '" + u.path("role").asText("") + "'");
                }
                List<String> teams = new ArrayList<>();
                u.path("teams").forEach(t -> teams.add(t.asText()));
                String name = u.path("username").asText("");
                if (!UserStore.NAME.matcher(name).matches()) {
                    return new Result.Unusable("users[" + i + "]: username '" + name + "'");
                }
                User user = new User(name, hash, role.get(),
                        u.hasNonNull("agentId") ? Optional.of(u.get("agentId").asText()) : Optional.empty(),
                        Set.copyOf(teams));
                out.add(new UserAccount(user, u.path("enabled").asBoolean(false), u.path("origin").asText(""),
                        Instant.parse(u.path("createdAt").asText()), Instant.parse(u.path("updatedAt").asText()),
                        u.path("updatedBy").asText("")));
            }
            return new Result.Users(List.copyOf(out), takenAt);
        } catch (IOException | RuntimeException e) {
            return new Result.Unusable(e.getMessage() == null ? e.toString() : e.getMessage());
        }
    }

    /** Replaces the snapshot with {@code accounts} (owner-only file, atomic rename). */
    public void write(Collection<UserAccount> accounts, Instant takenAt) throws IOException {
        ObjectNode root = JSON.createObjectNode();
        root.put("format", FORMAT);
        root.put("takenAt", takenAt.toString());
        ArrayNode users = root.putArray("users");
        for (UserAccount a : accounts) {
            ObjectNode u = users.addObject();
            u.put("username", a.username());
            u.put("passwordHash", a.user().passwordHash());
            u.put("role", a.user().role().wireName());
            if (a.user().agentId().isPresent()) {
                u.put("agentId", a.user().agentId().get());
            } else {
                u.putNull("agentId");
            }
            ArrayNode teams = u.putArray("teams");
            a.user().teams().stream().sorted().forEach(teams::add);
            u.put("enabled", a.enabled());
            u.put("origin", a.origin());
            u.put("createdAt", a.createdAt().toString());
            u.put("updatedAt", a.updatedAt().toString());
            u.put("updatedBy", a.updatedBy());
        }
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = dir.resolve(file.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        try {
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
        } catch (UnsupportedOperationException e) {
            Files.createFile(tmp);   // not a POSIX file system: the folder's own access rules apply
        } catch (FileAlreadyExistsException e) {
            throw new IOException("cannot create " + tmp + ": it appeared meanwhile", e);
        }
        Files.write(tmp, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(root));
        try {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static void ownerOnly(Path file) throws IOException {
        try {
            if (!Files.getPosixFilePermissions(file).equals(OWNER_ONLY)) {
                Files.setPosixFilePermissions(file, OWNER_ONLY);
            }
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system
        }
    }
}
